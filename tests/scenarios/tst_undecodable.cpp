// A deal the server sends in a form the app cannot read: the other 59 deals still arrive (the
// sweep does not stop at the page that held it), the table leaves the unreadable one out, and
// the status bar says that one deal could not be read — also after Sync Now from the keyboard.

#include "scenario.h"

using namespace Scenario;

class TestUndecodable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneUnreadableDealAmongSixty()
    {
        // The sandbox seeds the same ids for the same seed: pick one from a throwaway copy.
        App::Options options;
        {
            SandboxServer probe(options.config);
            seedSandbox(probe.store(), {options.seed, options.opportunities});
            options.config.faults.undecodableIds = {probe.store().ids(kDeal).at(7)};
        }
        const QString unreadableId = options.config.faults.undecodableIds.first();
        options.waitForSync = false;
        App app;
        QVERIFY(app.start(options));
        const QString unreadableName = app.serverDeal(unreadableId)
                                           .value(QStringLiteral("fields"))
                                           .toObject()
                                           .value(QStringLiteral("$name"))
                                           .toObject()
                                           .value(QStringLiteral("value"))
                                           .toString();
        QVERIFY(!unreadableName.isEmpty());

        QVERIFY(waitFor([&app] { return app.table()->model()->rowCount() == 59; }, 30000));
        QVERIFY(app.waitForIdle());
        QCOMPARE(app.table()->model()->rowCount(), 59);
        QCOMPARE(app.rowOfName(unreadableName), -1);
        QVERIFY2(waitFor(
                     [&app] {
                         return app.statusText().contains(
                             QStringLiteral("1 deal could not be read"));
                     },
                     10000),
            qPrintable(app.statusText()));

        // Sync Now (the keyboard shortcut): still 59, still said.
        QTest::keyClick(app.table(), Qt::Key_F5);
        QVERIFY(app.waitForIdle());
        QCOMPARE(app.table()->model()->rowCount(), 59);
        QVERIFY2(app.statusText().contains(QStringLiteral("1 deal could not be read")),
            qPrintable(app.statusText()));
        // The server received no write for it, and it is still there.
        QVERIFY(app.writesTo(unreadableId).isEmpty());
        QVERIFY(!app.serverDeal(unreadableId).isEmpty());
    }
};

QTEST_MAIN(TestUndecodable)
#include "tst_undecodable.moc"
