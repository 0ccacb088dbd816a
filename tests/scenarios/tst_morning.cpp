// A keyboard-only morning: a rep finds a deal with the search field, browses the results with the
// arrow keys, edits the deal in the form, moves it a stage on, edits another in place in the
// table and takes that back, all without touching the mouse. Asserted on what the window shows
// and on exactly what the sandbox received.

#include "scenario.h"

#include "form/dealform.h"

#include <QLineEdit>

using namespace Scenario;

namespace {
const QString kName = QStringLiteral("$name");
const QString kStage = QStringLiteral("$stage");
} // namespace

class TestMorning : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<App> m_app;

    DealForm *form() const { return m_app->find<DealForm>(QStringLiteral("dealForm")); }
    QString paneTitle() const
    {
        return form()->isVisible() ? form()->findChild<QLabel *>(QStringLiteral("title"))->text()
                                   : QString();
    }

    /** The option id of the stage after `stageId` in definition order, from the server. */
    QString nextStage(const QString &stageId) const
    {
        const QJsonObject definitions = m_app->server->store().schema(kDeal).definitionsJson();
        const QJsonArray options = definitions.value(QStringLiteral("fieldDefinitions"))
                                       .toObject()
                                       .value(kStage)
                                       .toObject()
                                       .value(QStringLiteral("typeConfiguration"))
                                       .toObject()
                                       .value(QStringLiteral("options"))
                                       .toArray();
        for (int i = 0; i + 1 < options.size(); ++i) {
            if (options.at(i).toObject().value(QStringLiteral("id")).toString() == stageId)
                return options.at(i + 1).toObject().value(QStringLiteral("id")).toString();
        }
        return QString();
    }

private Q_SLOTS:
    void init()
    {
        m_app = std::make_unique<App>();
        QVERIFY(m_app->start());
    }
    void cleanup() { m_app.reset(); }

    void keyboardOnlyMorning()
    {
        QTableView *table = m_app->table();
        const int total = table->model()->rowCount();
        // The customer with the most deals (read off the table).
        QHash<QString, int> dealsOf;
        for (int row = 0; row < table->model()->rowCount(); ++row)
            ++dealsOf[m_app->cellText(row, QStringLiteral("Account"))];
        QString customer;
        for (auto it = dealsOf.cbegin(); it != dealsOf.cend(); ++it) {
            if (customer.isEmpty() || it.value() > dealsOf.value(customer))
                customer = it.key();
        }
        QVERIFY2(dealsOf.value(customer) >= 3, qPrintable(customer));
        // Find that customer's deals.
        m_app->press(Qt::Key_F, Qt::ControlModifier);
        QVERIFY(within(App::focus(), m_app->window()->searchField()));
        m_app->type(customer.toLower());
        QTRY_VERIFY(table->model()->rowCount() >= 3);
        QVERIFY(table->model()->rowCount() < total);
        // Down goes to the results; the pane follows the arrow keys, the keyboard stays.
        m_app->press(Qt::Key_Down);
        QVERIFY(within(App::focus(), table));
        QCOMPARE(table->currentIndex().row(), 0);
        QCOMPARE(paneTitle(), m_app->currentName());
        m_app->press(Qt::Key_Down);
        m_app->press(Qt::Key_Down);
        QCOMPARE(table->currentIndex().row(), 2);
        QVERIFY(within(App::focus(), table));
        const QString id = m_app->currentId();
        const QString name = m_app->currentName();
        QCOMPARE(paneTitle(), name);

        // Enter: into the form's first field. Type, save, back to the table with Escape.
        m_app->press(Qt::Key_Return);
        QVERIFY(within(App::focus(), form()));
        m_app->press(Qt::Key_End);
        m_app->type(QStringLiteral(" – phase 2"));
        m_app->press(Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_app->serverField(id, kName).toString(), name + QStringLiteral(" – phase 2"), 20000);
        m_app->press(Qt::Key_Escape);
        QVERIFY(within(App::focus(), table));
        QCOMPARE(m_app->currentId(), id);

        // Ctrl+] moves the same deal to the next stage, and it stays selected.
        const QString stage = m_app->serverField(id, kStage).toString();
        const QString next = nextStage(stage);
        QVERIFY2(!next.isEmpty(), qPrintable(stage));
        m_app->press(Qt::Key_BracketRight, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->serverField(id, kStage).toString(), next, 20000);
        QCOMPARE(m_app->currentId(), id);
        QCOMPARE(paneTitle(), name + QStringLiteral(" – phase 2"));

        // Up to the deal above, F2 on its name, a new name, Enter: saved in place.
        m_app->press(Qt::Key_Up);
        const QString otherId = m_app->currentId();
        const QString other = m_app->currentName();
        QVERIFY(otherId != id);
        QCOMPARE(paneTitle(), other);
        m_app->press(Qt::Key_Home);
        m_app->press(Qt::Key_F2);
        QVERIFY(m_app->isEditingInline());
        m_app->press(Qt::Key_A, Qt::ControlModifier);
        const QString renamed = customer + QStringLiteral(" renewal 2027");
        m_app->type(renamed);
        m_app->press(Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->serverField(otherId, kName).toString(), renamed, 20000);
        // …and taken back with Ctrl+Z.
        QVERIFY(within(App::focus(), table));
        m_app->press(Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->serverField(otherId, kName).toString(), other, 20000);

        QVERIFY(m_app->waitForIdle());
        // Exactly what the rep did, to exactly the deals they did it to.
        const QList<QJsonObject> first = m_app->writesTo(id);
        QCOMPARE(first.size(), 2);
        QCOMPARE(
            first.at(0).value(QStringLiteral("fields")).toObject().keys(), QStringList {kName});
        QCOMPARE(
            first.at(1).value(QStringLiteral("fields")).toObject().keys(), QStringList {kStage});
        QCOMPARE(m_app->writesTo(otherId).size(), 2);
        QCOMPARE(m_app->writes().size(), 4);
        QCOMPARE(m_app->serverField(id, kName).toString(), name + QStringLiteral(" – phase 2"));
    }
};

QTEST_MAIN(TestMorning)
#include "tst_morning.moc"
