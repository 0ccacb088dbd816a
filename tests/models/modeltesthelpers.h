#pragma once

// Helpers shared by the tests of models/: fixtures from tests/data and readable QCOMPARE output.

#include "api/lightfielderror.h"
#include "domain/changeset.h"
#include "domain/fieldvalue.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

namespace ModelTest {

/** The JSON object stored in tests/data/<name>; fails the calling test when unreadable. */
inline QJsonObject loadObject(const char *name)
{
    QFile file(QStringLiteral(LIGHTFIELD_TEST_DATA_DIR "/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot open fixture %s", name);
        return {};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("fixture %s: %s", name, qPrintable(error.errorString()));
    return document.object();
}

/** Any JSON value from its text ("12.5", "\"x\"", "null", "[1]"). */
inline QJsonValue parseValue(const QByteArray &text)
{
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]");
    return document.array().isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                      : document.array().first();
}

/** The compact text of any JSON value ("undefined" for an undefined one). */
inline QByteArray compact(const QJsonValue &value)
{
    if (value.isUndefined())
        return QByteArrayLiteral("undefined");
    const QByteArray wrapped = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

} // namespace ModelTest

// Found by argument-dependent lookup, so QCOMPARE prints the values on failure.
inline char *toString(const FieldValue &value)
{
    return qstrdup(value.debugString().toUtf8().constData());
}

inline char *toString(const LightfieldError &error)
{
    return qstrdup(error.debugString().toUtf8().constData());
}

inline char *toString(const ChangeSet &changes)
{
    return qstrdup(changes.toUpdateBody().constData());
}
