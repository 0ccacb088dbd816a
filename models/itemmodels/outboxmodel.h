#pragma once

#include "domain/objectschema.h"
#include "store/outbox.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>

class LocalStore;

/**
 * The outbox as a table for the pending-changes panel: one row per outbox row,
 * in seq order.
 *
 * **Columns:** Record (the record's `$name` from its local copy, else its id), Operation
 * (Create / Update), Fields (the labels of the body's keys, in schema order, from the stored
 * definitions of the row's type; keys unknown to the schema as they are), Changes (per key
 * "Stage: Proposal → Negotiation", from the row's base values to its body, written for people:
 * ValueText::field(), related records by name; a create's keys without "→"; one
 * line per key in the tooltip), State, Attempts, Last
 * error (a sentence: a parked row's ParkedError names the field and the server's
 * message; a conflict names the fields changed on both sides) and Queued at (the enqueue time in
 * the default QLocale and local time). Roles: SeqRole (qint64), StateRole (int of
 * OutboxRow::State), RecordIdRole, ObjectTypeRole; Qt::ToolTipRole gives the whole error text.
 *
 * **Updates.** The first load happens in the constructor. Then every Outbox::changed() re-reads
 * the rows and updates the model in place by seq: removed rows in contiguous runs (one
 * begin/endRemoveRows each), new rows in contiguous runs at their seq position, and dataChanged
 * for the rows whose cells changed (one whole-range signal when more than half did). Only
 * reload() resets the model; setSchema() emits dataChanged for the cells that use labels.
 *
 * The display strings are prepared when rows arrive; data() only reads them.
 *
 * **Ownership and thread.** Borrows the outbox and the store, which must outlive it; GUI thread
 * (the store's thread).
 */
class OutboxModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboxModel)

public:
    enum Column
    {
        RecordColumn,
        OperationColumn,
        FieldsColumn,
        ChangesColumn,
        StateColumn,
        AttemptsColumn,
        LastErrorColumn,
        QueuedAtColumn,
        ColumnCount,
    };
    Q_ENUM(Column)

    enum Role
    {
        SeqRole = Qt::UserRole + 1, ///< qint64: OutboxRow::seq
        StateRole, ///< int: OutboxRow::State
        RecordIdRole, ///< QString: the record's id (temporary `local_…` for an unsent create)
        ObjectTypeRole, ///< QString: "opportunity", …
    };
    Q_ENUM(Role)

    OutboxModel(Outbox &outbox, LocalStore &store, QObject *parent = nullptr);
    ~OutboxModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /** The outbox row shown at `row` (as read at the last refresh). */
    OutboxRow outboxRow(int row) const;
    /** The row showing outbox row `seq`, or -1. */
    int rowOfSeq(qint64 seq) const;
    /** The record's display name shown at `row`. */
    QString recordName(int row) const;
    /** The changed fields' labels shown at `row`. */
    QStringList fieldLabels(int row) const;
    /** The changes shown at `row`, one "Label: old → new" per key. */
    QStringList changeTexts(int row) const;

    /**
     * Uses `schema` for labels of rows of its type instead of the stored definitions (e.g. the
     * schema the app already parsed). Updates the Fields and Last error cells in place.
     */
    void setSchema(const ObjectSchema &schema);

    /** Re-reads the outbox and updates the rows in place (called on Outbox::changed()). */
    void refresh();
    /** Re-reads everything with a model reset. */
    void reload();
    /**
     * Why the last refresh() / reload() could not read the queue; empty when it could. While
     * the queue cannot be read the rows already shown stay (never an empty list, which would
     * say the edits were sent).
     */
    QString readError() const { return m_readError; }

    /** A parked / retried row's lastError as a sentence for people. */
    static QString errorSentence(const OutboxRow &row, const ObjectSchema &schema);
    /** The label of a body key: the field's or relationship's label, else the key. */
    static QString keyLabel(const QString &key, const ObjectSchema &schema);

private:
    struct Row
    {
        OutboxRow row;
        QString recordName;
        QStringList fieldLabels;
        QStringList changes;
        QString cells[ColumnCount];
    };

    Row makeRow(const OutboxRow &row);
    QString relatedText(const RelationshipDefinition *definition, const QJsonValue &value) const;
    QString relatedNames(const QString &objectType, const QJsonValue &ids) const;
    const ObjectSchema &schemaFor(const QString &objectType);
    QList<Row> readRows(bool *ok);
    void rebuildIndex();

    Outbox &m_outbox;
    LocalStore &m_store;
    QList<Row> m_rows;
    QHash<qint64, int> m_rowOfSeq;
    QHash<QString, ObjectSchema> m_schemas; ///< per object type; set or read from the store
    QHash<QString, bool> m_schemaSet; ///< types whose schema came from setSchema()
    QLocale m_locale;
    QString m_readError;
};
