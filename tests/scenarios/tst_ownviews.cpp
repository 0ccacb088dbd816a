// A view of the rep's own: a search and a sort kept with Ctrl+Shift+S under a name typed in the
// dialog, picked again from the sidebar with the mouse after another view, renamed with F2 from
// the keyboard, and still there after a restart. Driven only by key and mouse events on the real
// window against the sandbox.

#include "scenario.h"

#include "settings/appsettings.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QTreeWidget>

#include <algorithm>

using namespace Scenario;

class TestOwnViews : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;

    QTreeWidget *sidebar() const { return m_app->find<QTreeWidget>(QStringLiteral("sidebar")); }
    QLineEdit *search() const { return m_app->window()->searchField(); }
    int rows() const { return m_app->table()->model()->rowCount(); }

    QTreeWidgetItem *item(const QString &text) const
    {
        const QList<QTreeWidgetItem *> items
            = sidebar()->findItems(text, Qt::MatchExactly | Qt::MatchRecursive);
        return items.size() == 1 ? items.constFirst() : nullptr;
    }

    /** Clicks the sidebar entry `text`, as a rep does. */
    bool clickView(const QString &text) const
    {
        QTreeWidgetItem *entry = item(text);
        if (!entry)
            return false;
        const QRect rect = sidebar()->visualItemRect(entry);
        QTest::mouseClick(sidebar()->viewport(), Qt::LeftButton, {}, rect.center());
        return sidebar()->currentItem() == entry;
    }

    /** The logical column titled `title`, or -1. */
    int column(const QString &title) const
    {
        const QAbstractItemModel *model = m_app->table()->model();
        for (int c = 0; c < model->columnCount(); ++c) {
            if (model->headerData(c, Qt::Horizontal).toString() == title)
                return c;
        }
        return -1;
    }

    /** Clicks the header of the column titled `title` (sorts by it). */
    void clickHeader(const QString &title) const
    {
        QHeaderView *header = m_app->table()->horizontalHeader();
        const int c = column(title);
        QVERIFY(c >= 0 && !header->isSectionHidden(c));
        const int x = header->sectionViewportPosition(c) + header->sectionSize(c) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    }

    /** Waits for the dialog `name` with the keyboard in it. */
    QInputDialog *dialogWithFocus(const QString &name) const
    {
        QInputDialog *dialog = nullptr;
        waitFor([&] {
            dialog = m_app->find<QInputDialog>(name);
            return dialog && dialog->isVisible() && within(App::focus(), dialog);
        });
        return dialog && within(App::focus(), dialog) ? dialog : nullptr;
    }

    /** The offscreen platform does not hand activation back after a dialog; a desktop does. */
    bool backToTheWindow() const
    {
        m_app->window()->activateWindow();
        return QTest::qWaitForWindowActive(m_app->window());
    }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start());
    }
    void cleanup() { m_app.reset(); }

    void aViewOfMyOwnIsSavedPickedRenamedAndKept()
    {
        const int all = rows();
        QVERIFY(all > 1);
        QCOMPARE(sidebar()->currentItem()->text(0), QStringLiteral("All deals"));

        // A search for one deal's name, and the deals sorted by stage.
        const QString wanted = m_app->cellText(0, QStringLiteral("Name"));
        QVERIFY(!wanted.isEmpty());
        key(Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(App::focus(), search());
        m_app->type(wanted);
        QTRY_VERIFY(rows() < all);
        const int found = rows();
        QVERIFY(found > 0);
        clickHeader(QStringLiteral("Stage"));
        const int stage = column(QStringLiteral("Stage"));
        QCOMPARE(m_app->table()->horizontalHeader()->sortIndicatorSection(), stage);

        // Ctrl+Shift+S, a name, Enter: the view is listed and selected.
        key(Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(dialogWithFocus(QStringLiteral("saveViewDialog")));
        m_app->type(QStringLiteral("Shortlist"));
        key(Qt::Key_Return);
        QTRY_VERIFY(!m_app->find<QInputDialog>(QStringLiteral("saveViewDialog")));
        QVERIFY(item(QStringLiteral("Shortlist")));
        QCOMPARE(sidebar()->currentItem()->text(0), QStringLiteral("Shortlist"));
        QVERIFY(m_app->statusText().contains(QStringLiteral("“Shortlist” saved")));
        QVERIFY(backToTheWindow());

        // Another view shows every deal again; the rep's own brings the search and sort back.
        QVERIFY(clickView(QStringLiteral("All deals")));
        QTRY_COMPARE(rows(), all);
        QVERIFY(search()->text().isEmpty());
        QVERIFY(m_app->table()->horizontalHeader()->sortIndicatorSection() != stage);
        QVERIFY(clickView(QStringLiteral("Shortlist")));
        QCOMPARE(search()->text(), wanted);
        QTRY_COMPARE(rows(), found);
        QCOMPARE(m_app->table()->horizontalHeader()->sortIndicatorSection(), stage);

        // Ctrl+1 takes the keyboard to the views, F2 renames the selected one.
        key(Qt::Key_1, Qt::ControlModifier);
        QTRY_VERIFY(sidebar()->hasFocus());
        QCOMPARE(sidebar()->currentItem()->text(0), QStringLiteral("Shortlist"));
        key(Qt::Key_F2);
        QInputDialog *rename = dialogWithFocus(QStringLiteral("renameViewDialog"));
        QVERIFY(rename);
        QCOMPARE(rename->textValue(), QStringLiteral("Shortlist"));
        key(Qt::Key_A, Qt::ControlModifier);
        m_app->type(QStringLiteral("Hot shortlist"));
        key(Qt::Key_Return);
        QTRY_VERIFY(!m_app->find<QInputDialog>(QStringLiteral("renameViewDialog")));
        QVERIFY(!item(QStringLiteral("Shortlist")));
        QVERIFY(item(QStringLiteral("Hot shortlist")));
        QCOMPARE(sidebar()->currentItem()->text(0), QStringLiteral("Hot shortlist"));
        QCOMPARE(search()->text(), wanted); // renaming changes nothing in the table
        const QList<SavedView> stored = AppSettings().savedViews();
        QVERIFY(std::any_of(stored.cbegin(), stored.cend(),
            [](const SavedView &v) { return v.name == QStringLiteral("Hot shortlist"); }));

        // After a restart the view is still in the sidebar and still shows the same deals.
        QVERIFY(m_app->restart());
        QTRY_COMPARE(rows(), all);
        QVERIFY(clickView(QStringLiteral("Hot shortlist")));
        QCOMPARE(search()->text(), wanted);
        QTRY_COMPARE(rows(), found);
        QCOMPARE(m_app->table()->horizontalHeader()->sortIndicatorSection(), stage);
        QVERIFY(m_app->writes().isEmpty()); // views are the rep's, never the server's
    }
};

QTEST_MAIN(TestOwnViews)
#include "tst_ownviews.moc"
