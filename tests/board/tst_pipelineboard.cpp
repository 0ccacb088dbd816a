// PipelineBoardView against the sandbox: a drop queues exactly one
// `$stage` change through RecordEditService, the card follows the table at once, the server
// receives only `$stage`, an offline move survives a restart, a rejected move shows its reason
// and goes back when discarded; keyboard moves and navigation; headers and accessible names.

#include "board/pipelineboardview.h"
#include "domain/recordjson.h"
#include "edit/recordeditservice.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytableloader.h"
#include "itemmodels/opportunitytablemodel.h"
#include "itemmodels/pipelineboardmodel.h"
#include "itemmodels/stagecolors.h"
#include "synctesthelpers.h"
#include "tabletesthelpers.h"

#include "sandboxschema.h"

#include <QAction>
#include <QApplication>
#include <QListView>
#include <QMimeData>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using SyncTest::kDeal;

namespace {

const QString kStage = QStringLiteral("$stage");

/** The app's wiring of the board: table ← store, board ← proxy, moves → RecordEditService. */
struct BoardApp
{
    SyncTest::Harness h;
    ObjectSchema schema;
    OpportunityTableModel table;
    OpportunitySortFilterProxyModel proxy;
    PipelineBoardModel board;
    std::unique_ptr<RecordEditService> edit;
    std::unique_ptr<PipelineBoardView> view;
    QList<RecordEditService::Result> results;

    BoardApp()
    {
        proxy.setSourceModel(&table);
        board.setSourceModel(&proxy);
    }

    ~BoardApp()
    {
        view.reset();
        edit.reset();
    }

    /** Sandbox up, store filled by one pull; `online` keeps the engine (else no sending). */
    bool start(bool online)
    {
        if (!h.startServer({}, 30) || !h.open() || !h.pullOnce())
            return false;
        if (!online)
            h.engine.reset();
        return load();
    }

    /** (Re)loads the table from the store and wires a new edit service. */
    bool load()
    {
        const auto loaded = OpportunityTableLoader::load(*h.store, table, h.outbox.get());
        schema = table.schema();
        edit = std::make_unique<RecordEditService>(*h.store, *h.outbox);
        QObject::connect(edit.get(), &RecordEditService::recordChanged, edit.get(),
            [this](const QString &, const QString &id) { refresh(id); });
        return loaded.ok && loaded.rows > 0;
    }

    void refresh(const QString &id)
    {
        OpportunityTableLoader::refresh(*h.store, table, {id}, h.outbox.get());
    }

    void showView()
    {
        view = std::make_unique<PipelineBoardView>();
        view->setModel(&board);
        QObject::connect(view.get(), &PipelineBoardView::moveRequested, view.get(),
            [this](const QString &id, const QString &stage) {
                ChangeSet changes;
                changes.setValue(
                    *schema.field(kStage), FieldValue::fromText(FieldType::SingleSelect, stage));
                results.append(edit->update(schema, id, changes));
            });
        view->resize(1400, 700);
        view->show();
    }

    /** A deal shown in `stageRow`, or empty. */
    QString cardIn(int stageRow) const
    {
        if (board.cardCount(stageRow) == 0)
            return {};
        return board.index(0, 0, board.index(stageRow, 0))
            .data(PipelineBoardModel::IdRole)
            .toString();
    }

    int stageOf(const QString &id) const { return board.indexForId(id).parent().row(); }

    QString storedStage(const QString &id) const
    {
        return RecordJson::fieldValue(h.localRecord(id), kStage).toString();
    }
};

/** Drags the card of `id` onto column `stageRow` through the list view's drop handling. */
bool dropCard(BoardApp &app, const QString &id, int stageRow)
{
    std::unique_ptr<QMimeData> mime(app.board.mimeData({app.board.indexForId(id)}));
    QListView *list = app.view->columnView(stageRow);
    if (!mime || !list)
        return false;
    const QPoint pos = list->viewport()->rect().center();
    QDragEnterEvent enter(pos, Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(list->viewport(), &enter);
    QDragMoveEvent move(pos, Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(list->viewport(), &move);
    QDropEvent drop(QPointF(pos), Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(list->viewport(), &drop);
    return enter.isAccepted() && move.isAccepted() && drop.isAccepted();
}

QJsonObject bodyOf(const OutboxRow &row)
{
    return QJsonDocument::fromJson(row.body).object();
}

} // namespace

class TestPipelineBoard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void dropQueuesOneStageChange()
    {
        BoardApp app;
        QVERIFY(app.start(true));
        app.showView();
        QVERIFY(QTest::qWaitForWindowExposed(app.view.get()));
        QCOMPARE(app.view->columnCount(), app.board.stageCount());
        QVERIFY(app.board.stageCount() >= 6);

        // A deal of the first non-empty stage, dropped on the next stage.
        int from = 0;
        while (from + 1 < app.board.stageCount() && app.board.cardCount(from) == 0)
            ++from;
        const QString id = app.cardIn(from);
        QVERIFY(!id.isEmpty());
        const int to = from + 1;
        const QString target = app.board.stageId(to);
        const int fromCount = app.board.cardCount(from);
        const int toCount = app.board.cardCount(to);
        QSignalSpy requested(app.view.get(), &PipelineBoardView::moveRequested);
        QVERIFY(dropCard(app, id, to));
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(0).toString(), id);
        QCOMPARE(requested.first().at(1).toString(), target);
        QCOMPARE(app.results.size(), 1);
        QVERIFY2(app.results.first().ok, qPrintable(app.results.first().error));

        // The optimistic copy moved the card at once, re-totalled both columns, marked pending.
        QCOMPARE(app.stageOf(id), to);
        QCOMPARE(app.board.cardCount(from), fromCount - 1);
        QCOMPARE(app.board.cardCount(to), toCount + 1);
        QVERIFY(app.view->columnHeaderText(to).contains(QString::number(toCount + 1)));
        QVERIFY(app.board.indexForId(id).data(PipelineBoardModel::PendingRole).toBool());
        // Queued (no event loop ran yet, so nothing was sent): one row, only `$stage`.
        const QList<OutboxRow> queued = app.h.outbox->rowsFor(kDeal, id);
        QCOMPARE(queued.size(), 1);
        QCOMPARE(bodyOf(queued.first()),
            (QJsonObject {{QStringLiteral("fields"), QJsonObject {{kStage, target}}}}));

        // Exactly one write reaches the server, holding only `$stage`.
        QVERIFY(app.h.waitIdle());
        QJsonArray writes;
        for (const QJsonValue &write : app.h.writes()) {
            if (write[QStringLiteral("path")].toString().endsWith(id))
                writes.append(write);
        }
        QCOMPARE(writes.size(), 1);
        const QJsonObject body = writes.first()[QStringLiteral("body")].toObject();
        QCOMPARE(body[QStringLiteral("fields")].toObject(), (QJsonObject {{kStage, target}}));
        QVERIFY(body[QStringLiteral("relationships")].toObject().isEmpty());
        QCOMPARE(writes.first()[QStringLiteral("status")].toInt(), 200);
        QCOMPARE(RecordJson::fieldValue(app.h.serverRecord(id), kStage).toString(), target);

        // After the outbox result the card stays where it was dropped, synced.
        app.refresh(id);
        QCOMPARE(app.stageOf(id), to);
        QCOMPARE(app.board.indexForId(id).data(PipelineBoardModel::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Synced));
        // A drop on the card's own column asks for nothing.
        QCOMPARE(app.view->dropIds({id}, to), 0);
        QCOMPARE(requested.size(), 1);
    }

    void offlineKeyboardMoveSurvivesRestart()
    {
        BoardApp app;
        QVERIFY(app.start(false));
        app.showView();
        QVERIFY(QTest::qWaitForWindowExposed(app.view.get()));
        int from = 0;
        while (from + 1 < app.board.stageCount() && app.board.cardCount(from) == 0)
            ++from;
        const QString id = app.cardIn(from);
        QVERIFY(!id.isEmpty());
        const QString target = app.board.stageId(from + 1);

        QVERIFY(app.view->selectId(id));
        QCOMPARE(app.view->currentId(), id);
        QVERIFY(app.view->moveRightAction()->isEnabled());
        QCOMPARE(app.view->moveRightAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Right));
        app.view->moveRightAction()->trigger();
        QCOMPARE(app.results.size(), 1);
        QVERIFY(app.results.first().ok);
        // The card moved and the selection followed it.
        QCOMPARE(app.stageOf(id), from + 1);
        QCOMPARE(app.view->currentId(), id);
        QVERIFY(app.board.indexForId(id).data(PipelineBoardModel::PendingRole).toBool());

        const QList<OutboxRow> rows = app.h.outbox->rowsFor(kDeal, id);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(bodyOf(rows.first())[QStringLiteral("fields")].toObject(),
            (QJsonObject {{kStage, target}}));
        QVERIFY(bodyOf(rows.first())[QStringLiteral("relationships")].toObject().isEmpty());

        // Restart without a network: the outbox row and the optimistic stage are still there.
        app.edit.reset();
        app.table.reload(ObjectSchema(), NameDirectory(), 0, [](qsizetype) { return Record(); });
        app.h.crash();
        QVERIFY(app.h.openStore());
        const QList<OutboxRow> reopened = app.h.outbox->rowsFor(kDeal, id);
        QCOMPARE(reopened.size(), 1);
        QCOMPARE(reopened.first().body, rows.first().body);
        QCOMPARE(reopened.first().state, OutboxRow::State::Pending);
        QCOMPARE(app.storedStage(id), target);
        QVERIFY(app.load());
        QCOMPARE(app.view->columnCount(), app.board.stageCount());
        QCOMPARE(app.board.stageId(app.stageOf(id)), target);
        QCOMPARE(app.board.indexForId(id).data(PipelineBoardModel::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Pending));
    }

    void rejectedMoveShowsReasonAndReturnsWhenDiscarded()
    {
        BoardApp app;
        QVERIFY(app.start(true));
        // The cached definitions know a stage the server does not (stale definitions).
        QJsonObject definitions = SandboxSchema::opportunity().definitionsJson();
        QJsonObject fields = definitions[QStringLiteral("fieldDefinitions")].toObject();
        QJsonObject stage = fields[kStage].toObject();
        QJsonObject config = stage[QStringLiteral("typeConfiguration")].toObject();
        QJsonArray options = config[QStringLiteral("options")].toArray();
        options.append(QJsonObject {{QStringLiteral("id"), QStringLiteral("opt_stage_verbal")},
            {QStringLiteral("label"), QStringLiteral("Verbal")}});
        config[QStringLiteral("options")] = options;
        stage[QStringLiteral("typeConfiguration")] = config;
        fields[kStage] = stage;
        definitions[QStringLiteral("fieldDefinitions")] = fields;
        QVERIFY(app.h.store->putDefinitions(kDeal,
            QJsonDocument(definitions).toJson(QJsonDocument::Compact),
            QDateTime::currentDateTimeUtc()));
        QVERIFY(app.load());
        app.board.setStatusTextProvider([&app](const QString &id) {
            for (const OutboxRow &row : app.h.outbox->rowsFor(kDeal, id)) {
                if (row.state == OutboxRow::State::Parked)
                    return row.lastError;
            }
            return QString();
        });
        app.showView();
        const int verbal = app.board.stageRow(QStringLiteral("opt_stage_verbal"));
        QCOMPARE(verbal, app.board.stageCount() - 1);
        QCOMPARE(app.view->columnCount(), app.board.stageCount());
        int from = 0;
        while (app.board.cardCount(from) == 0)
            ++from;
        const QString id = app.cardIn(from);
        QVERIFY(dropCard(app, id, verbal));
        QCOMPARE(app.results.size(), 1);
        QCOMPARE(app.stageOf(id), verbal);

        // The server refuses the unknown option: the row is parked, the card says why.
        QVERIFY(SyncTest::waitFor(
            [&] {
                const QList<OutboxRow> rows = app.h.outbox->rowsFor(kDeal, id);
                return rows.size() == 1 && rows.first().state == OutboxRow::State::Parked;
            },
            30000));
        app.refresh(id);
        const QModelIndex card = app.board.indexForId(id);
        QCOMPARE(card.data(PipelineBoardModel::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Failed));
        const QString reason = app.h.outbox->rowsFor(kDeal, id).first().lastError;
        QVERIFY(!reason.isEmpty());
        QVERIFY2(card.data(Qt::ToolTipRole).toString().contains(reason),
            qPrintable(card.data(Qt::ToolTipRole).toString()));
        QVERIFY(card.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("rejected")));

        // Giving up on the edit puts the card back where the server has it.
        QVERIFY(app.h.outbox->discard(app.h.outbox->rowsFor(kDeal, id).first().seq));
        app.refresh(id);
        QCOMPARE(app.stageOf(id), from);
        QCOMPARE(app.board.indexForId(id).data(PipelineBoardModel::SyncStateRole).toInt(),
            int(OpportunityRoles::SyncState::Synced));
    }

    void keyboardHeadersAndPaint()
    {
        // Local rows only: Proposal holds two deals, Discovery none, Negotiation one.
        const ObjectSchema schema = TableTest::opportunitySchema();
        OpportunityTableModel table;
        OpportunitySortFilterProxyModel proxy;
        proxy.setSourceModel(&table);
        PipelineBoardModel board;
        board.setSourceModel(&proxy);
        const auto option = [&](int i) { return schema.field(kStage)->options().at(i).id; };
        const QList<Record> rows {TableTest::makeRecord(schema, QStringLiteral("opp_1"),
                                      {{QStringLiteral("$name"), QStringLiteral("One")},
                                          {kStage, option(0)}, {QStringLiteral("$amount"), 48000}}),
            TableTest::makeRecord(schema, QStringLiteral("opp_2"),
                {{QStringLiteral("$name"), QStringLiteral("Two")}, {kStage, option(0)},
                    {QStringLiteral("$amount"), 1000.5}}),
            TableTest::makeRecord(schema, QStringLiteral("opp_3"),
                {{QStringLiteral("$name"), QStringLiteral("Three")}, {kStage, option(2)}})};
        table.reload(
            schema, TableTest::names(), rows.size(), [&](qsizetype i) { return rows.at(i); });

        PipelineBoardView view;
        view.setModel(&board);
        QSignalSpy requested(&view, &PipelineBoardView::moveRequested);
        view.resize(1400, 600);
        view.show();
        QApplication::setActiveWindow(&view);
        QVERIFY(QTest::qWaitForWindowActive(&view));

        // Headers and accessible names.
        const QLocale locale;
        QCOMPARE(PipelineBoardView::headerText(QStringLiteral("Proposal"), 3,
                     {{QStringLiteral("USD"), 4800000}, {QStringLiteral("EUR"), 1250050}}, locale),
            QStringLiteral("Proposal · 3 · 12,500.50\u00A0EUR · $48,000"));
        QCOMPARE(view.columnHeaderText(0),
            schema.field(kStage)->options().at(0).label + QStringLiteral(" · 2 · $49,000.50"));
        QCOMPARE(view.accessibleName(), QStringLiteral("Pipeline board"));
        QCOMPARE(view.columnView(0)->accessibleName(), view.columnHeaderText(0));

        // Left / Right go to the nearest card of the next non-empty column; Up / Down within.
        QVERIFY(view.selectId(QStringLiteral("opp_2")));
        QListView *first = view.columnView(0);
        QTRY_VERIFY(first->hasFocus());
        QTest::keyClick(first, Qt::Key_Right);
        QCOMPARE(view.currentId(), QStringLiteral("opp_3"));
        QVERIFY(first->selectionModel()->selectedIndexes().isEmpty());
        QTest::keyClick(view.columnView(2), Qt::Key_Left);
        QCOMPARE(view.currentId(), QStringLiteral("opp_1"));
        QTest::keyClick(first, Qt::Key_Down);
        QCOMPARE(view.currentId(), QStringLiteral("opp_2"));
        QVERIFY(!view.moveLeftAction()->isEnabled());
        QVERIFY(view.moveRightAction()->isEnabled());

        // Ctrl+Right on the focused card asks to move it one stage right.
        QTest::keyClick(first, Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(0).toString(), QStringLiteral("opp_2"));
        QCOMPARE(requested.first().at(1).toString(), option(1));

        // Cards are painted by the delegate with the stage colour stripe.
        const QImage image = first->viewport()->grab().toImage();
        const QRect item = first->visualRect(board.indexForId(QStringLiteral("opp_1")));
        QVERIFY(item.height() > 0);
        QCOMPARE(QColor(image.pixel(item.left() + 6, item.center().y())),
            QColor::fromRgba(StageColors::rgbaAt(0)));
        QCOMPARE(
            first->visualRect(board.indexForId(QStringLiteral("opp_2"))).height(), item.height());
        const QString accessible
            = board.indexForId(QStringLiteral("opp_1")).data(Qt::AccessibleTextRole).toString();
        QVERIFY2(accessible.startsWith(QStringLiteral("One, $48,000")), qPrintable(accessible));

        // A deal without a stage adds a "No stage" column; nothing can be dropped there.
        table.upsertRecords({TableTest::makeRecord(
            schema, QStringLiteral("opp_4"), {{QStringLiteral("$name"), QStringLiteral("Four")}})});
        QCOMPARE(view.columnCount(), 7);
        QCOMPARE(view.columnHeaderText(6), QStringLiteral("No stage · 1"));
        QCOMPARE(view.columnView(6)->model()->rowCount(view.columnView(6)->rootIndex()), 1);
        QCOMPARE(view.dropIds({QStringLiteral("opp_1")}, 6), 0);
        table.removeRecords({QStringLiteral("opp_4")});
        QCOMPARE(view.columnCount(), 6);
        QCOMPARE(view.columnView(2)->model()->rowCount(view.columnView(2)->rootIndex()), 1);
    }
};

QTEST_MAIN(TestPipelineBoard)
#include "tst_pipelineboard.moc"
