#pragma once

#include <QString>
#include <QStringList>

/**
 * Small text helpers of the deals table's cells (OpportunityColumnStore). What a value looks
 * like elsewhere — dialogs, the pending changes — is ValueText's; these are the pieces only a
 * table cell needs. Thread-safe (no state).
 */
namespace CellText {

/** `values` joined with ", "; a single value is returned as is (its string shared, not copied). */
QString joined(const QStringList &values);

/**
 * The first non-empty line of `markdown`, without block markers (headings, quotes, bullets,
 * task boxes, numbered items) and emphasis (`**`, `__`, backticks); empty when there is none.
 */
QString markdownFirstLine(const QString &markdown);

} // namespace CellText
