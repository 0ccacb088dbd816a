// A queued row read for the markers the rep sees: the keys its body writes, and for a parked
// row the field the server blamed and its reason.

#include "store/outbox.h"
#include "store/outboxrowreading.h"

#include <QtTest>

namespace {

OutboxRow row(const QByteArray &body, OutboxRow::State state = OutboxRow::State::Pending,
    const QString &lastError = {})
{
    OutboxRow result;
    result.objectType = QStringLiteral("opportunity");
    result.recordId = QStringLiteral("opp_1");
    result.body = body;
    result.state = state;
    result.lastError = lastError;
    return result;
}

const QByteArray kBody = R"({"fields": {"$name": "Acme", "$amount": 5},
    "relationships": {"$account": {"replace": ["acc_1"]}}})";

} // namespace

class TestOutboxRowReading : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aPendingRowMarksEveryKeyItWrites()
    {
        const OutboxRow pending = row(kBody);
        QCOMPARE(OutboxRowReading::writtenKeys(pending),
            (QStringList {
                QStringLiteral("$amount"), QStringLiteral("$name"), QStringLiteral("$account")}));
        QCOMPARE(OutboxRowReading::markedKeys(pending), OutboxRowReading::writtenKeys(pending));
        QVERIFY(OutboxRowReading::refusal(pending).message.isEmpty());
        QCOMPARE(
            OutboxRowReading::body(pending).value(QStringLiteral("fields")).toObject().size(), 2);
    }

    void aParkedRowMarksTheBlamedFieldWithTheReason()
    {
        const OutboxRow parked
            = row(kBody, OutboxRow::State::Parked, QStringLiteral("422|$amount|Too big."));
        const OutboxRowReading::Refusal refused = OutboxRowReading::refusal(parked);
        QCOMPARE(refused.fieldKey, QStringLiteral("$amount"));
        QCOMPARE(refused.message, QStringLiteral("Too big."));
        QCOMPARE(OutboxRowReading::markedKeys(parked), QStringList {QStringLiteral("$amount")});
    }

    void aParkedRowWithoutAFieldMarksEveryKey()
    {
        // A last error from before the fields were named is the reason alone.
        const OutboxRow parked
            = row(kBody, OutboxRow::State::Parked, QStringLiteral("Not allowed."));
        QCOMPARE(OutboxRowReading::refusal(parked).message, QStringLiteral("Not allowed."));
        QVERIFY(OutboxRowReading::refusal(parked).fieldKey.isEmpty());
        QCOMPARE(OutboxRowReading::markedKeys(parked).size(), 3);
    }

    void aConflictIsNoRefusal()
    {
        const OutboxRow conflict
            = row(kBody, OutboxRow::State::Conflict, QStringLiteral("422|$amount|Too big."));
        QVERIFY(OutboxRowReading::refusal(conflict).message.isEmpty());
        QCOMPARE(OutboxRowReading::markedKeys(conflict).size(), 3);
    }

    void aBodyThatIsNoObjectWritesNothing()
    {
        const OutboxRow broken = row("[1, 2]");
        QVERIFY(OutboxRowReading::body(broken).isEmpty());
        QVERIFY(OutboxRowReading::writtenKeys(broken).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOutboxRowReading)
#include "tst_outboxrowreading.moc"
