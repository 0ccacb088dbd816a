// Undo and redo from anywhere in the window: Ctrl+Z undoes the last change the rep made to a
// deal, wherever the keyboard is, except in a text field that still has typing of its own to
// undo, which keeps Ctrl+Z until it has nothing left. Asserted on the window and on the writes
// the sandbox received.

#include "scenario.h"

#include "form/dealform.h"

#include <QLineEdit>

using namespace Scenario;

namespace {
const QString kName = QStringLiteral("$name");
}

class TestUndo : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;

    DealForm *form() const { return m_app->find<DealForm>(QStringLiteral("dealForm")); }

    QLineEdit *formName() const
    {
        QWidget *editor = form()->findChild<QWidget *>(kName);
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            return line;
        return editor ? editor->findChild<QLineEdit *>() : nullptr;
    }

    QString serverName(const QString &id) const
    {
        return m_app->serverDeal(id)
            .value(QStringLiteral("fields"))
            .toObject()
            .value(kName)
            .toObject()
            .value(QStringLiteral("value"))
            .toString();
    }

    /** The `$name` values the sandbox received for deal `id`, oldest first. */
    QStringList namesSent(const QString &id) const
    {
        QStringList names;
        for (const QJsonObject &body : m_app->writesTo(id)) {
            const QJsonValue value = body.value(QStringLiteral("fields")).toObject().value(kName);
            if (!value.isUndefined())
                names << value.toString();
        }
        return names;
    }

    /** Opens the deal in view row `row` for editing, from the table, with the keyboard. */
    QString openInForm(int row)
    {
        m_app->clickCell(row);
        const QString name = m_app->currentName();
        m_app->press(Qt::Key_Return);
        return name;
    }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start());
    }
    void cleanup() { m_app.reset(); }

    void ctrlZInTheFormUndoesTheSavedEdit()
    {
        const QString name = openInForm(0);
        const QString id = m_app->currentId();
        QVERIFY(!id.isEmpty());
        QLineEdit *field = formName();
        QVERIFY(field);
        // Enter put the keyboard in the form's first field: the name.
        QCOMPARE(App::focus(), field);
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral(" renewal"));
        m_app->press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(id), name + QStringLiteral(" renewal"), 20000);
        // The status bar offers Ctrl+Z; the keyboard is still in the name field.
        QCOMPARE(App::focus(), field);
        m_app->press(Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(id), name, 20000);
        QTRY_COMPARE(field->text(), name);
        m_app->press(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(id), name + QStringLiteral(" renewal"), 20000);
        QTRY_COMPARE(field->text(), name + QStringLiteral(" renewal"));
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(namesSent(id),
            (QStringList {
                name + QStringLiteral(" renewal"), name, name + QStringLiteral(" renewal")}));
    }

    void typingIsUndoneFirstThenTheLastChange()
    {
        // A saved change to one deal…
        const QString first = openInForm(1);
        const QString firstId = m_app->currentId();
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral(" (EU)"));
        m_app->press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(firstId), first + QStringLiteral(" (EU)"), 20000);
        m_app->press(Qt::Key_Escape);
        // …then typing, not saved, in another deal's name.
        const QString second = openInForm(3);
        const QString secondId = m_app->currentId();
        QLineEdit *field = formName();
        QCOMPARE(App::focus(), field);
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral("xyz"));
        QCOMPARE(field->text(), second + QStringLiteral("xyz"));
        // Ctrl+Z takes back the typing first…
        for (int i = 0; i < 5 && field->text() != second; ++i)
            m_app->press(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(field->text(), second);
        QVERIFY(!form()->isModified());
        QCOMPARE(serverName(firstId), first + QStringLiteral(" (EU)"));
        // …and once the field has nothing left, the window's undo: the first deal's change.
        m_app->press(Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(firstId), first, 20000);
        QVERIFY(m_app->waitForIdle());
        QVERIFY(namesSent(secondId).isEmpty());
        QCOMPARE(namesSent(firstId), (QStringList {first + QStringLiteral(" (EU)"), first}));
    }

    void ctrlZFromTheSearchFieldUndoesAnInlineEdit()
    {
        m_app->clickCell(2);
        const QString name = m_app->currentName();
        const QString id = m_app->currentId();
        m_app->press(Qt::Key_Home);
        m_app->press(Qt::Key_F2);
        QVERIFY(m_app->isEditingInline());
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral(" II"));
        m_app->press(Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(id), name + QStringLiteral(" II"), 20000);
        QTest::keyClick(m_app->window(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(within(App::focus(), m_app->window()->searchField()));
        m_app->press(Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(serverName(id), name, 20000);
        QVERIFY(m_app->waitForIdle());
        QCOMPARE(namesSent(id), (QStringList {name + QStringLiteral(" II"), name}));
    }
};

QTEST_MAIN(TestUndo)
#include "tst_undo.moc"
