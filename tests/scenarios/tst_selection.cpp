// The right deal, every time: the deal in the pane is the selected one, it stays selected across
// searches, views, sorts and syncs, and browsing with the keyboard keeps the keyboard in the
// table. Driven only by key and mouse events on the real window against the sandbox.

#include "scenario.h"

#include "form/dealform.h"

#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTreeWidget>

using namespace Scenario;

class TestSelection : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;

    DealForm *form() const { return m_app->find<DealForm>(QStringLiteral("dealForm")); }

    /** The deal the pane shows: its title, or empty when the pane shows no deal. */
    QString paneDeal() const
    {
        DealForm *f = form();
        if (!f || !f->isVisible() || !f->baseRecord().isValid())
            return QString();
        return f->findChild<QLabel *>(QStringLiteral("title"))->text();
    }

    QLineEdit *search() const { return m_app->window()->searchField(); }

    /** A word of `name` that some other deals' names lack (for a search that hides it). */
    QString nameOfRow(int row) const { return m_app->cellText(row, QStringLiteral("Name")); }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start());
    }
    void cleanup() { m_app.reset(); }

    void arrowKeysBrowseWithoutLeavingTheTable()
    {
        m_app->clickCell(0);
        QCOMPARE(paneDeal(), nameOfRow(0));
        QVERIFY(within(App::focus(), m_app->table()));
        for (int row = 1; row <= 3; ++row) {
            m_app->press(Qt::Key_Down);
            QCOMPARE(m_app->table()->currentIndex().row(), row);
            // The keyboard stays in the table, so the next arrow key moves on again.
            QVERIFY2(within(App::focus(), m_app->table()),
                qPrintable(App::focus() ? App::focus()->objectName() : QStringLiteral("-")));
            QCOMPARE(paneDeal(), nameOfRow(row));
            QCOMPARE(m_app->selectedRows(), QList<int> {row});
        }
        // F2 edits the cell in place (the table keeps the keyboard); Escape cancels.
        m_app->press(Qt::Key_F2);
        QVERIFY(m_app->isEditingInline());
        m_app->press(Qt::Key_Escape);
        QTRY_VERIFY(!m_app->isEditingInline());
        QVERIFY(within(App::focus(), m_app->table()));
        // Enter takes the rep into the form; Escape brings them back to the deals.
        m_app->press(Qt::Key_Return);
        QVERIFY(within(App::focus(), form()));
        m_app->press(Qt::Key_Escape);
        QVERIFY(within(App::focus(), m_app->table()));
        m_app->press(Qt::Key_Down);
        QCOMPARE(paneDeal(), nameOfRow(4));
        QVERIFY(m_app->writes().isEmpty());
    }

    void searchThatHidesTheDealEmptiesThePane()
    {
        const int row = 5;
        const QString chosen = nameOfRow(row);
        m_app->clickCell(row);
        QCOMPARE(paneDeal(), chosen);
        // A search that matches other deals but not the chosen one.
        const QString other = nameOfRow(row == 0 ? 1 : 0);
        QVERIFY(other != chosen);
        QTest::keyClick(m_app->window(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(within(App::focus(), search()));
        m_app->type(other);
        QTRY_VERIFY(m_app->table()->model()->rowCount() >= 1);
        QCOMPARE(m_app->rowOfName(chosen), -1);
        // Nothing is selected, and the pane shows no other deal in its place: it asks for one.
        QTRY_COMPARE(paneDeal(), QString());
        QVERIFY(m_app->selectedRows().isEmpty());
        auto *placeholder = m_app->find<QLabel>(QStringLiteral("detailPlaceholder"));
        QVERIFY(placeholder && placeholder->isVisible());
        QVERIFY(placeholder->text().startsWith(QStringLiteral("Select a deal")));
        // Clearing the search brings the chosen deal back, selected and in the pane.
        m_app->press(Qt::Key_A, Qt::ControlModifier);
        m_app->press(Qt::Key_Backspace);
        QTRY_COMPARE(m_app->currentName(), chosen);
        QCOMPARE(paneDeal(), chosen);
        QCOMPARE(m_app->selectedRows().size(), 1);
    }

    void sortingKeepsTheSameDealSelected()
    {
        const int row = 7;
        const QString chosen = nameOfRow(row);
        m_app->clickCell(row);
        QCOMPARE(paneDeal(), chosen);
        // Sort by another column with a click on its header, then back again by name.
        QHeaderView *header = m_app->table()->horizontalHeader();
        for (int visual : {2, 0, 0}) {
            const int logical = header->logicalIndex(visual);
            const QPoint centre(
                header->sectionViewportPosition(logical) + header->sectionSize(logical) / 2,
                header->height() / 2);
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, centre);
            QCOMPARE(m_app->currentName(), chosen);
            QCOMPARE(paneDeal(), chosen);
            QCOMPARE(m_app->selectedRows().size(), 1);
            QCOMPARE(nameOfRow(m_app->selectedRows().constFirst()), chosen);
        }
    }

    void switchingViewsKeepsThePaneOnTheSelection()
    {
        // The views in the sidebar: All deals, My open deals, Closing this month.
        QTreeWidget *sidebar = m_app->find<QTreeWidget>(QStringLiteral("sidebar"));
        QVERIFY(sidebar);
        const auto clickView = [sidebar](const QString &text) {
            const QList<QTreeWidgetItem *> items
                = sidebar->findItems(text, Qt::MatchExactly | Qt::MatchRecursive);
            QVERIFY2(!items.isEmpty(), qPrintable(text));
            const QRect rect = sidebar->visualItemRect(items.constFirst());
            QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, rect.center());
        };
        clickView(QStringLiteral("My open deals"));
        const int shownOpen = m_app->table()->model()->rowCount();
        QVERIFY(shownOpen > 0);
        clickView(QStringLiteral("All deals"));
        QTRY_VERIFY(m_app->table()->model()->rowCount() > shownOpen);
        // A closed deal: hidden by "My open deals".
        int closedRow = -1;
        for (int row = 0; row < m_app->table()->model()->rowCount(); ++row) {
            if (m_app->cellText(row, QStringLiteral("Stage"))
                    .startsWith(QStringLiteral("Closed"))) {
                closedRow = row;
                break;
            }
        }
        QVERIFY(closedRow >= 0);
        const QString closed = nameOfRow(closedRow);
        m_app->clickCell(closedRow);
        QCOMPARE(paneDeal(), closed);
        clickView(QStringLiteral("My open deals"));
        QTRY_COMPARE(m_app->table()->model()->rowCount(), shownOpen);
        QCOMPARE(paneDeal(), QString());
        QVERIFY(m_app->selectedRows().isEmpty());
        // An open deal chosen in this view stays chosen when every deal shows again.
        m_app->clickCell(2);
        const QString open = m_app->currentName();
        QCOMPARE(paneDeal(), open);
        clickView(QStringLiteral("All deals"));
        QTRY_VERIFY(m_app->table()->model()->rowCount() > shownOpen);
        QCOMPARE(m_app->currentName(), open);
        QCOMPARE(paneDeal(), open);
    }

    void detailPaneCollapsesWithF9AndKeepsItsWidth()
    {
        auto *splitter = m_app->find<QSplitter>(QStringLiteral("mainSplitter"));
        QVERIFY(splitter);
        const int pane = splitter->sizes().at(2);
        QVERIFY(pane > 0);
        // The table gets the room: the pane is well under half the window.
        QVERIFY2(pane < m_app->window()->width() * 35 / 100, qPrintable(QString::number(pane)));
        m_app->clickCell(0);
        m_app->press(Qt::Key_F9);
        QCOMPARE(splitter->sizes().at(2), 0);
        QVERIFY(within(App::focus(), m_app->table()));
        m_app->press(Qt::Key_F9);
        QCOMPARE(splitter->sizes().at(2), pane);
        // Enter on a deal opens the pane if it was collapsed.
        m_app->press(Qt::Key_F9);
        m_app->press(Qt::Key_Return);
        QCOMPARE(splitter->sizes().at(2), pane);
        QVERIFY(within(App::focus(), form()));
    }
};

QTEST_MAIN(TestSelection)
#include "tst_selection.moc"
