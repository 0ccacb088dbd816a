// Saved views in the main window: the built-in three on a first run, "Closing
// this month" computed when applied, save / restore of columns, widths, sort, filters and search
// by column key, persistence across a restart, update / rename / delete, and the keyboard.

#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitysortfilterproxymodel.h"
#include "itemmodels/opportunitytablemodel.h"
#include "mainwindow.h"
#include "savedviewscontroller.h"
#include "settings/appsettings.h"
#include "settings/settingskeys.h"

#include "tabletesthelpers.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTreeWidget>
#include <QtTest>

#include <memory>

using Op = ColumnFilter::Operator;
using TableTest::makeRecord;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

/** A deals table with known close dates around November 2026, behind the proxy. */
struct Deals
{
    OpportunityTableModel model;
    OpportunitySortFilterProxyModel proxy;
    QAbstractItemModelTester modelTester {
        &model, QAbstractItemModelTester::FailureReportingMode::Fatal};
    QAbstractItemModelTester proxyTester {
        &proxy, QAbstractItemModelTester::FailureReportingMode::Fatal};
    ObjectSchema schema = TableTest::opportunitySchema();

    Deals()
    {
        proxy.setSourceModel(&model);
        model.setSchema(schema);
        const auto deal = [this](const char *id, const char *name, const char *status,
                              double amount, const char *close) {
            TableTest::Fields fields {{s("$name"), s(name)}, {s("$opportunityStatus"), s(status)},
                {s("$amount"), amount}};
            if (close)
                fields.append({s("closeDate"), s(close)});
            return makeRecord(schema, s(id), fields);
        };
        model.upsertRecords({
            deal("opp_nov1", "Northwind renewal", "opt_status_open", 48000,
                "2026-11-01T00:00:00.000Z"),
            deal(
                "opp_nov30", "Ålesund pilot", "opt_status_open", 12500, "2026-11-30T00:00:00.000Z"),
            deal(
                "opp_oct31", "Zeta expansion", "opt_status_open", 5000, "2026-10-31T00:00:00.000Z"),
            deal("opp_dec1", "ACME upgrade", "opt_status_won", 90000, "2026-12-01T00:00:00.000Z"),
            deal("opp_none", "Café roll-out", "opt_status_lost", 250000, nullptr),
        });
    }

    int column(const char *key) const { return model.columnForKey(s(key)); }
};

/** The proxy's rows as ids in proxy order. */
QString ids(const QAbstractItemModel &proxy)
{
    QStringList result;
    for (int row = 0; row < proxy.rowCount(); ++row)
        result.append(proxy.index(row, 0).data(OpportunityRoles::IdRole).toString());
    return result.join(QLatin1Char(' '));
}

/** The proxy's rows as sorted ids (for filters, where order is not the point). */
QString idSet(const QAbstractItemModel &proxy)
{
    QStringList result = ids(proxy).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    result.sort();
    return result.join(QLatin1Char(' '));
}

QTreeWidget *sidebarOf(const MainWindow &window)
{
    return window.findChild<QTreeWidget *>(QStringLiteral("sidebar"));
}

QTreeWidgetItem *viewItem(const MainWindow &window, const QString &name)
{
    const QList<QTreeWidgetItem *> found
        = sidebarOf(window)->findItems(name, Qt::MatchExactly | Qt::MatchRecursive);
    return found.size() == 1 ? found.constFirst() : nullptr;
}

/** Selects a view the way a user does: by making its sidebar entry current. */
bool clickView(const MainWindow &window, const QString &name)
{
    QTreeWidgetItem *item = viewItem(window, name);
    if (!item)
        return false;
    sidebarOf(window)->setCurrentItem(item);
    return true;
}

QString viewIdByName(const QList<SavedView> &views, const QString &name)
{
    for (const SavedView &view : views) {
        if (view.name == name)
            return view.id;
    }
    return {};
}

QStringList visibleKeys(const MainWindow &window)
{
    const QHeaderView *header = window.dealsView()->horizontalHeader();
    const QAbstractItemModel *model = window.dealsView()->model();
    QStringList keys;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            keys << model->headerData(logical, Qt::Horizontal, OpportunityRoles::ColumnKeyRole)
                        .toString();
    }
    return keys;
}

/** The views as stored, read back through a fresh AppSettings. */
QList<SavedView> storedViews()
{
    return AppSettings().savedViews();
}

} // namespace

class TestSavedViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        AppSettings settings;
        settings.settings().remove(QString::fromLatin1(SettingsKeys::kSavedViews));
        settings.settings().remove(QString::fromLatin1(SettingsKeys::kDealsHeaderState));
        settings.sync();
    }

    void theBuiltInViewsExistOnFirstRun()
    {
        MainWindow window;
        QTreeWidget *sidebar = sidebarOf(window);
        QVERIFY(sidebar);
        QVERIFY(!sidebar->accessibleName().isEmpty());
        const QList<QTreeWidgetItem *> roots
            = sidebar->findItems(s("Saved views"), Qt::MatchExactly);
        QCOMPARE(roots.size(), 1);
        QStringList names;
        for (int i = 0; i < roots.constFirst()->childCount(); ++i)
            names << roots.constFirst()->child(i)->text(0);
        QCOMPARE(
            names, (QStringList {s("All deals"), s("My open deals"), s("Closing this month")}));
        // "My" cannot mean the owner: the tooltip says why.
        QVERIFY(viewItem(window, s("My open deals"))->toolTip(0).contains(s("API key")));
        QCOMPARE(window.savedViews().currentViewId(), window.savedViews().views().constFirst().id);
        QVERIFY(window.findChild<QAction *>(s("updateViewAction"))->isEnabled());
    }

    void builtInViewsFilterTheRows()
    {
        Deals deals;
        MainWindow window;
        QDate today(2026, 11, 15);
        window.savedViews().setCurrentDateProvider([&today] { return today; });
        window.setDealsModel(&deals.proxy);
        QCOMPARE(deals.proxy.rowCount(), 5);

        QVERIFY(clickView(window, s("My open deals")));
        QCOMPARE(idSet(deals.proxy), s("opp_nov1 opp_nov30 opp_oct31"));

        QVERIFY(clickView(window, s("Closing this month")));
        QCOMPARE(idSet(deals.proxy), s("opp_nov1 opp_nov30"));
        // Computed when applied, not frozen: a month later the same view shows December.
        today = QDate(2026, 12, 10);
        QVERIFY(window.savedViews().selectView(window.savedViews().currentViewId()));
        QCOMPARE(idSet(deals.proxy), s("opp_dec1"));
        QCOMPARE(storedViews(), SavedView::defaultViews()); // nothing was written

        QVERIFY(clickView(window, s("All deals")));
        QCOMPARE(deals.proxy.rowCount(), 5);
        QVERIFY(deals.proxy.columnFilters().isEmpty());
        QCOMPARE(ids(deals.proxy), s("opp_dec1 opp_nov30 opp_none opp_nov1 opp_oct31"));
    }

    void aSavedViewRestoresEverythingExactly()
    {
        Deals deals;
        auto window = std::make_unique<MainWindow>();
        window->setDealsModel(&deals.proxy);
        QTableView *table = window->dealsView();
        QHeaderView *header = table->horizontalHeader();
        const int amount = deals.column("$amount");
        const int stage = deals.column("$stage");
        const int probability = deals.column("probability");
        QVERIFY(amount > 0 && stage > 0 && probability > 0);
        QVERIFY(!header->isSectionHidden(stage));
        QVERIFY(header->isSectionHidden(probability));

        // Columns, order, widths, sort, a filter and a search.
        header->setSectionHidden(stage, true);
        header->setSectionHidden(probability, false);
        header->moveSection(header->visualIndex(amount), 1);
        header->moveSection(header->visualIndex(probability), 2);
        header->resizeSection(0, 211);
        header->resizeSection(amount, 137);
        header->resizeSection(probability, 73);
        table->sortByColumn(amount, Qt::DescendingOrder);
        deals.proxy.setColumnFilter(ColumnFilter(s("$amount"), Op::GreaterThan, 10000));
        window->searchField()->setText(s("o"));
        const SavedView saved = window->savedViews().currentState();
        const QString rows = ids(deals.proxy);
        QCOMPARE(rows, s("opp_none opp_dec1 opp_nov1 opp_nov30"));
        QCOMPARE(
            saved.columns.mid(0, 3), (QStringList {s("$name"), s("$amount"), s("probability")}));
        QVERIFY(!saved.columns.contains(s("$stage")));

        // Save View As… asks a name.
        window->findChild<QAction *>(s("saveViewAsAction"))->trigger();
        auto *dialog = window->findChild<QInputDialog *>(s("saveViewDialog"));
        QVERIFY(dialog);
        dialog->setTextValue(s("Big deals with an o"));
        dialog->accept();
        const QString id = viewIdByName(window->savedViews().views(), s("Big deals with an o"));
        QVERIFY(!id.isEmpty());
        QCOMPARE(window->savedViews().currentViewId(), id);
        QVERIFY(viewItem(*window, s("Big deals with an o")));
        QCOMPARE(viewIdByName(storedViews(), s("Big deals with an o")), id);

        // Change everything.
        QVERIFY(clickView(*window, s("All deals")));
        window->searchField()->setText(s("zeta"));
        header->setSectionHidden(probability, true);
        header->resizeSection(amount, 300);
        const SavedView changed = window->savedViews().currentState();
        QVERIFY(changed.columns != saved.columns);
        QVERIFY(changed.sortColumn != saved.sortColumn);
        QVERIFY(changed.filters != saved.filters);
        QVERIFY(changed.searchText != saved.searchText);
        QCOMPARE(ids(deals.proxy), s("opp_oct31"));

        // Selecting the view restores it.
        QVERIFY(clickView(*window, s("Big deals with an o")));
        compareState(window->savedViews().currentState(), saved);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(ids(deals.proxy), rows);
        QCOMPARE(window->searchField()->text(), s("o"));
        QCOMPARE(deals.proxy.searchText(), s("o"));

        // Restart: a new window on the same settings, a fresh model.
        window.reset();
        Deals fresh;
        MainWindow restarted;
        restarted.setDealsModel(&fresh.proxy);
        QCOMPARE(fresh.proxy.rowCount(), 5);
        QVERIFY(clickView(restarted, s("Big deals with an o")));
        compareState(restarted.savedViews().currentState(), saved);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(ids(fresh.proxy), rows);
    }

    void updateKeepsARelativeRuleARule()
    {
        Deals deals;
        MainWindow window;
        window.savedViews().setCurrentDateProvider([] { return QDate(2026, 11, 15); });
        window.setDealsModel(&deals.proxy);
        QVERIFY(clickView(window, s("Closing this month")));
        window.searchField()->setText(s("pilot"));
        QCOMPARE(ids(deals.proxy), s("opp_nov30"));
        window.findChild<QAction *>(s("updateViewAction"))->trigger();

        const QList<SavedView> stored = storedViews();
        const auto closing = std::find_if(stored.cbegin(), stored.cend(),
            [](const SavedView &v) { return v.id == QLatin1String("default-closing"); });
        QVERIFY(closing != stored.cend());
        QCOMPARE(closing->searchText, s("pilot"));
        QVERIFY2(closing->filters.isEmpty(), "the month's dates must not be frozen into the view");
        QCOMPARE(closing->relativeFilters.size(), 1);
        QVERIFY(!closing->columns.isEmpty());

        // A filter the user added on top is kept as a concrete filter beside the rule.
        deals.proxy.setColumnFilters(
            deals.proxy.columnFilters() << ColumnFilter(s("$amount"), Op::LessThan, 20000));
        QVERIFY(window.savedViews().updateView(s("default-closing")));
        const SavedView updated = window.savedViews().views().at(2);
        QCOMPARE(updated.filters,
            (QList<ColumnFilter> {ColumnFilter(s("$amount"), Op::LessThan, 20000)}));
        QCOMPARE(updated.relativeFilters.size(), 1);
    }

    void renameAndDeleteWorkOnTheSelectedView()
    {
        Deals deals;
        MainWindow window;
        window.setDealsModel(&deals.proxy);
        auto *rename = window.findChild<QAction *>(s("renameViewAction"));
        auto *remove = window.findChild<QAction *>(s("deleteViewAction"));
        const QString id = window.savedViews().saveCurrentViewAs(s("Temp"));
        QVERIFY(!id.isEmpty());
        QVERIFY(window.savedViews().saveCurrentViewAs(s("temp")).isEmpty()); // names are unique
        QVERIFY(rename->isEnabled() && remove->isEnabled());

        rename->trigger();
        auto *dialog = window.findChild<QInputDialog *>(s("renameViewDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->textValue(), s("Temp"));
        dialog->setTextValue(s("Renamed"));
        dialog->accept();
        QVERIFY(viewItem(window, s("Renamed")));
        QVERIFY(!viewItem(window, s("Temp")));
        QCOMPARE(viewIdByName(storedViews(), s("Renamed")), id);
        QCOMPARE(window.savedViews().currentViewId(), id);

        // Delete asks first; Cancel keeps the view.
        remove->trigger();
        auto *box = window.findChild<QMessageBox *>(s("deleteViewDialog"));
        QVERIFY(box);
        box->button(QMessageBox::Cancel)->click();
        QVERIFY(viewItem(window, s("Renamed")));
        QTRY_VERIFY(!window.findChild<QMessageBox *>(s("deleteViewDialog")));
        remove->trigger();
        box = window.findChild<QMessageBox *>(s("deleteViewDialog"));
        QVERIFY(box);
        QAbstractButton *confirm = nullptr;
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::DestructiveRole)
                confirm = button;
        }
        QVERIFY(confirm);
        confirm->click();
        QVERIFY(!viewItem(window, s("Renamed")));
        QVERIFY(viewIdByName(storedViews(), s("Renamed")).isEmpty());
        QCOMPARE(storedViews().size(), 3);
        QVERIFY(window.savedViews().currentViewId().isEmpty());
        QVERIFY(!rename->isEnabled() && !remove->isEnabled());

        // Deleting every view is remembered: the defaults do not come back.
        for (const SavedView &view : window.savedViews().views())
            QVERIFY(window.savedViews().deleteView(view.id));
        MainWindow restarted;
        QVERIFY(restarted.savedViews().views().isEmpty());
    }

    void unknownKeysAreSkipped()
    {
        Deals deals;
        MainWindow window;
        window.setDealsModel(&deals.proxy);
        SavedView view = SavedView::create(s("From another schema"));
        view.columns = {s("gone"), s("$amount"), s("$name")};
        view.widths = {{s("gone"), 50}, {s("$amount"), 99}};
        view.sortColumn = s("gone");
        view.filters = {ColumnFilter(s("gone"), Op::Equal, s("x")),
            ColumnFilter(s("$amount"), Op::GreaterOrEqual, 48000)};
        window.savedViews().applyView(view);
        // The frozen Name column stays first whatever order the view had.
        QCOMPARE(visibleKeys(window), (QStringList {s("$name"), s("$amount")}));
        QCOMPARE(window.dealsView()->horizontalHeader()->sectionSize(deals.column("$amount")), 99);
        QCOMPARE(idSet(deals.proxy), s("opp_dec1 opp_none opp_nov1"));
    }

    void aSchemaReloadKeepsTheLayoutByKey()
    {
        Deals deals;
        MainWindow window;
        window.setDealsModel(&deals.proxy);
        SavedView view = SavedView::create(s("Narrow"));
        view.columns = {s("$name"), s("probability"), s("$amount")};
        view.sortColumn = s("$amount");
        window.savedViews().applyView(view);
        QCOMPARE(visibleKeys(window), view.columns);
        deals.model.setSchema(deals.schema); // a model reset
        QCOMPARE(visibleKeys(window), view.columns);
        QCOMPARE(window.dealsView()->horizontalHeader()->sortIndicatorSection(),
            deals.column("$amount"));
    }

    void aViewChosenBeforeTheSchemaAppliesWhenItArrives()
    {
        OpportunityTableModel model;
        OpportunitySortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        MainWindow window;
        window.savedViews().setCurrentDateProvider([] { return QDate(2026, 11, 15); });
        window.setDealsModel(&proxy); // no columns yet (cold start)
        QVERIFY(clickView(window, s("Closing this month")));
        QVERIFY(proxy.columnFilters().isEmpty());
        model.setSchema(TableTest::opportunitySchema());
        QCOMPARE(proxy.columnFilters(),
            (QList<ColumnFilter> {
                ColumnFilter(s("closeDate"), Op::GreaterOrEqual, QDate(2026, 11, 1)),
                ColumnFilter(s("closeDate"), Op::LessOrEqual, QDate(2026, 11, 30))}));
    }

    void theSidebarWorksFromTheKeyboard()
    {
        Deals deals;
        MainWindow window;
        window.setDealsModel(&deals.proxy);
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTreeWidget *sidebar = sidebarOf(window);
        window.findChild<QAction *>(s("focusSidebarAction"))->trigger();
        QTRY_VERIFY(sidebar->hasFocus());

        QTest::keyClick(sidebar, Qt::Key_Down);
        QCOMPARE(sidebar->currentItem()->text(0), s("My open deals"));
        QCOMPARE(idSet(deals.proxy), s("opp_nov1 opp_nov30 opp_oct31"));

        QTest::keyClick(sidebar, Qt::Key_F2);
        auto *rename = window.findChild<QInputDialog *>(s("renameViewDialog"));
        QVERIFY(rename);
        rename->reject();
        QTRY_VERIFY(!window.findChild<QInputDialog *>(s("renameViewDialog")));
        // The offscreen platform does not hand activation back after a dialog; a desktop does.
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.findChild<QAction *>(s("focusSidebarAction"))->trigger();
        QTRY_VERIFY(sidebar->hasFocus());
        QCOMPARE(sidebar->currentItem()->text(0), s("My open deals"));
        QTest::keyClick(sidebar, Qt::Key_Delete);
        auto *box = window.findChild<QMessageBox *>(s("deleteViewDialog"));
        QVERIFY(box);
        box->reject();
        QCOMPARE(window.savedViews().views().size(), 3);
    }

private:
    static void compareState(const SavedView &actual, const SavedView &expected)
    {
        QCOMPARE(actual.columns, expected.columns);
        // The last visible section stretches to the viewport; every other width is exact.
        for (const QString &key : expected.columns.mid(0, expected.columns.size() - 1))
            QCOMPARE(actual.widths.value(key), expected.widths.value(key));
        QCOMPARE(actual.sortColumn, expected.sortColumn);
        QCOMPARE(actual.sortOrder, expected.sortOrder);
        QCOMPARE(actual.filters, expected.filters);
        QCOMPARE(actual.relativeFilters, expected.relativeFilters);
        QCOMPARE(actual.searchText, expected.searchText);
    }
};

QTEST_MAIN(TestSavedViews)
#include "tst_savedviews.moc"
