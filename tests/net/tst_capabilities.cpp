// Capabilities: scopes → what the app may do, the probed and assumed readings, the sentences the
// window and the command line show, and the stored form.

#include "net/capabilities.h"

#include <QJsonArray>
#include <QtTest>

class TestCapabilities final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scopesMapToCapabilities_data()
    {
        QTest::addColumn<QStringList>("scopes");
        QTest::addColumn<bool>("edit");
        QTest::addColumn<bool>("create");
        QTest::addColumn<bool>("lists");
        QTest::addColumn<bool>("members");
        QTest::addColumn<bool>("contacts");
        QTest::addColumn<bool>("accounts");
        const QString read = QStringLiteral("opportunities:read");
        QTest::newRow("empty list = full access")
            << QStringList() << true << true << true << true << true << true;
        QTest::newRow("every scope") << QStringList {read, QStringLiteral("opportunities:update"),
            QStringLiteral("opportunities:create"), QStringLiteral("lists:read"),
            QStringLiteral("members:read"), QStringLiteral("contacts:read"),
            QStringLiteral("accounts:read")}
                                     << true << true << true << true << true << true;
        QTest::newRow("read only")
            << QStringList {read} << false << false << false << false << false << false;
        QTest::newRow("update without create")
            << QStringList {read, QStringLiteral("opportunities:update")} << true << false << false
            << false << false << false;
        QTest::newRow("no lists") << QStringList {read, QStringLiteral("opportunities:update"),
            QStringLiteral("opportunities:create"), QStringLiteral("members:read"),
            QStringLiteral("contacts:read"), QStringLiteral("accounts:read")}
                                  << true << true << false << true << true << true;
        // Scopes of other objects say nothing about deals.
        QTest::newRow("other objects' writes")
            << QStringList {read, QStringLiteral("accounts:update"), QStringLiteral("lists:create")}
            << false << false << false << false << false << false;
    }
    void scopesMapToCapabilities()
    {
        QFETCH(QStringList, scopes);
        QFETCH(bool, edit);
        QFETCH(bool, create);
        QFETCH(bool, lists);
        QFETCH(bool, members);
        QFETCH(bool, contacts);
        QFETCH(bool, accounts);
        const Capabilities can = Capabilities::fromScopes(scopes);
        QCOMPARE(can.source(), Capabilities::Source::Scopes);
        QVERIFY(can.canReadDeals() || !scopes.isEmpty());
        QCOMPARE(can.canEditDeals(), edit);
        QCOMPARE(can.canCreateDeals(), create);
        QCOMPARE(can.isReadOnly(), !edit && !create);
        QCOMPARE(can.canRead(QStringLiteral("lists")), lists);
        QCOMPARE(can.canReadObjectType(QStringLiteral("member")), members);
        QCOMPARE(can.canReadObjectType(QStringLiteral("contact")), contacts);
        QCOMPARE(can.canReadObjectType(QStringLiteral("account")), accounts);
        QCOMPARE(can.editingNotice().isEmpty(), edit && create);
        QCOMPARE(can.writeRefusal(false).isEmpty(), edit);
        QCOMPARE(can.writeRefusal(true).isEmpty(), create);
        QCOMPARE(can.namesNote(QStringLiteral("member")).isEmpty(), members);
    }

    void readOnlyNoticeIsOneSentenceNamingTheScope()
    {
        const QString notice
            = Capabilities::fromScopes({QStringLiteral("opportunities:read")}).editingNotice();
        QCOMPARE(notice,
            QStringLiteral("This key can only read deals, so editing is off. Sign in with a key "
                           "that has opportunities:update to edit."));
        const QString refusal
            = Capabilities::fromScopes({QStringLiteral("opportunities:read")}).writeRefusal(false);
        QVERIFY2(refusal.contains(QStringLiteral("opportunities:update")), qPrintable(refusal));
        QVERIFY2(refusal.contains(QStringLiteral("nothing was queued")), qPrintable(refusal));
        QVERIFY(Capabilities::fromScopes({QStringLiteral("opportunities:read")})
                    .namesNote(QStringLiteral("member"))
                    .contains(QStringLiteral("members:read")));
    }

    void scopesAreTrimmedAndDeduplicated()
    {
        const Capabilities can = Capabilities::fromScopes({QStringLiteral(" opportunities:read "),
            QStringLiteral("opportunities:read"), QString()});
        QCOMPARE(can.scopes(), QStringList {QStringLiteral("opportunities:read")});
        QVERIFY(!can.isFullAccess());
        QVERIFY(Capabilities::fromScopes({}).isFullAccess());
    }

    void probedReadsAndAssumedWrites()
    {
        const Capabilities can
            = Capabilities::fromProbes({QStringLiteral("members"), QStringLiteral("lists")});
        QCOMPARE(can.source(), Capabilities::Source::Probed);
        QVERIFY(can.canReadDeals());
        // Writes cannot be probed without writing: assumed, and a refused write is parked.
        QVERIFY(can.canEditDeals());
        QVERIFY(can.canCreateDeals());
        QVERIFY(can.editingNotice().isEmpty());
        QVERIFY(!can.canReadObjectType(QStringLiteral("member")));
        QVERIFY(!can.canRead(QStringLiteral("lists")));
        QVERIFY(can.canReadObjectType(QStringLiteral("contact")));
        QVERIFY(can.canReadObjectType(QStringLiteral("account")));
    }

    void neverCheckedAssumesEverything()
    {
        const Capabilities can;
        QCOMPARE(can.source(), Capabilities::Source::Assumed);
        QVERIFY(can.canEditDeals() && can.canCreateDeals() && can.canRead(QStringLiteral("lists")));
        QVERIFY(can.editingNotice().isEmpty());
    }

    void storedFormRoundTrips_data()
    {
        QTest::addColumn<Capabilities>("capabilities");
        QTest::newRow("assumed") << Capabilities();
        QTest::newRow("full") << Capabilities::fromScopes({});
        QTest::newRow("read only")
            << Capabilities::fromScopes({QStringLiteral("opportunities:read")});
        QTest::newRow("probed") << Capabilities::fromProbes({QStringLiteral("contacts")});
    }
    void storedFormRoundTrips()
    {
        QFETCH(Capabilities, capabilities);
        const std::optional<Capabilities> back = Capabilities::fromJson(capabilities.toJson());
        QVERIFY(back.has_value());
        QVERIFY(*back == capabilities);
    }

    void unreadableStoredFormIsRefused()
    {
        QVERIFY(!Capabilities::fromJson({}).has_value());
        QVERIFY(!Capabilities::fromJson({{QStringLiteral("source"), QStringLiteral("magic")}}));
        QVERIFY(!Capabilities::fromJson({{QStringLiteral("source"), QStringLiteral("scopes")},
            {QStringLiteral("scopes"), QStringLiteral("opportunities:read")}}));
        QVERIFY(!Capabilities::fromJson({{QStringLiteral("source"), QStringLiteral("scopes")},
            {QStringLiteral("scopes"), QJsonArray {1, 2}}}));
    }
};

QTEST_GUILESS_MAIN(TestCapabilities)
#include "tst_capabilities.moc"
