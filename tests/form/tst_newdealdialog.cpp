// NewDealDialog: writable fields only, Save disabled until $name, $stage and
// $account are set (and says what is missing), the result is a create ChangeSet, no network.

#include "form/namesearchedit.h"
#include "form/newdealdialog.h"
#include "form/recordpicker.h"
#include "itemmodels/namelistmodel.h"

#include "formtesthelpers.h"

#include <QApplication>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include <memory>

using FormTest::lineEditOf;
using FormTest::opportunitySchema;

namespace {

QByteArray compact(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

} // namespace

class TestNewDealDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<NewDealDialog> m_dialog;
    NameListModel m_accounts;
    NameListModel m_members;

    void typeName(const QString &text)
    {
        QLineEdit *edit = lineEditOf(m_dialog->fieldEditor(QStringLiteral("$name"))->focusTarget());
        QVERIFY(edit);
        QTest::keyClicks(edit, text);
    }

    void pickAccount(const QString &search)
    {
        auto *picker = qobject_cast<RecordPicker *>(
            m_dialog->relationshipEditor(QStringLiteral("$account")));
        QVERIFY(picker);
        QTest::keyClicks(picker->lineEdit(), search);
        QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
    }

    QString firstStageId() const
    {
        return opportunitySchema().field(QStringLiteral("$stage"))->options().first().id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_accounts.setRecords({{QStringLiteral("acc_1"), QStringLiteral("Northwind Labs")},
            {QStringLiteral("acc_2"), QStringLiteral("Öresund Freight")}});
        m_members.setRecords({{QStringLiteral("mem_1"), QStringLiteral("Ana Ruiz")}});
    }

    void init()
    {
        m_dialog = std::make_unique<NewDealDialog>();
        m_dialog->setNameModel(QStringLiteral("account"), &m_accounts);
        m_dialog->setNameModel(QStringLiteral("member"), &m_members);
        m_dialog->setSchema(opportunitySchema());
    }

    void cleanup() { m_dialog.reset(); }

    void showsWritableFieldsOnly()
    {
        const ObjectSchema schema = opportunitySchema();
        int writable = 0;
        for (const FieldDefinition &definition : schema.fields()) {
            if (definition.isWritable()) {
                ++writable;
                QVERIFY2(m_dialog->fieldEditor(definition.key()), qPrintable(definition.key()));
            } else {
                QVERIFY2(!m_dialog->fieldEditor(definition.key()), qPrintable(definition.key()));
            }
        }
        QCOMPARE(m_dialog->findChildren<FieldEditor *>().size(), writable);
        QVERIFY(!m_dialog->fieldEditor(QStringLiteral("$opportunityStatus")));
        QVERIFY(m_dialog->relationshipEditor(QStringLiteral("$account")));
        QVERIFY(m_dialog->relationshipEditor(QStringLiteral("$owner")));
        QVERIFY(!m_dialog->relationshipEditor(QStringLiteral("$task")));
        QVERIFY(!m_dialog->relationshipEditor(QStringLiteral("$note")));
        auto *nameLabel = m_dialog->findChild<QLabel *>(QStringLiteral("label:$name"));
        QVERIFY(nameLabel->text().endsWith(QStringLiteral("*")));
    }

    void saveNeedsNameStageAndAccount()
    {
        QSignalSpy created(m_dialog.get(), &NewDealDialog::createRequested);
        QVERIFY(!m_dialog->saveButton()->isEnabled());
        QCOMPARE(m_dialog->missingRequired(),
            (QStringList {
                QStringLiteral("Name"), QStringLiteral("Stage"), QStringLiteral("Account")}));
        QCOMPARE(m_dialog->statusText(), QStringLiteral("Still needed: Name, Stage, Account."));

        typeName(QStringLiteral("Öresund pilot"));
        QVERIFY(!m_dialog->saveButton()->isEnabled());
        QCOMPARE(m_dialog->statusText(), QStringLiteral("Still needed: Stage, Account."));

        pickAccount(QStringLiteral("oresund"));
        QCOMPARE(m_dialog->missingRequired(), QStringList {QStringLiteral("Stage")});
        QVERIFY(!m_dialog->saveButton()->isEnabled());

        // The stage, as the board would prefill it.
        m_dialog->setInitialValue(QStringLiteral("$stage"),
            FieldValue::fromText(FieldType::SingleSelect, firstStageId()));
        QVERIFY(m_dialog->missingRequired().isEmpty());
        QVERIFY(m_dialog->saveButton()->isEnabled());
        QVERIFY(m_dialog->statusText().isEmpty());

        m_dialog->save();
        QCOMPARE(created.count(), 1);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        const ChangeSet changes = created.first().at(0).value<ChangeSet>();
        QCOMPARE(compact(changes.toCreateJson()),
            QByteArrayLiteral(R"j({"fields":{"$name":"Öresund pilot","$stage":")j")
                + firstStageId().toUtf8()
                + QByteArrayLiteral(R"j("},"relationships":{"$account":"acc_2"}})j"));
    }

    void blankNameIsMissing()
    {
        typeName(QStringLiteral("   "));
        QVERIFY(m_dialog->missingRequired().contains(QStringLiteral("Name")));
    }

    void saveDoesNothingWhileIncomplete()
    {
        QSignalSpy created(m_dialog.get(), &NewDealDialog::createRequested);
        typeName(QStringLiteral("Only a name"));
        m_dialog->save();
        QCOMPARE(created.count(), 0);
        QCOMPARE(m_dialog->result(), 0);
    }

    void resultCarriesOptionalValuesAndRelationships()
    {
        typeName(QStringLiteral("Big one"));
        pickAccount(QStringLiteral("north"));
        m_dialog->setInitialValue(QStringLiteral("$stage"),
            FieldValue::fromText(FieldType::SingleSelect, firstStageId()));
        m_dialog->setInitialIds(QStringLiteral("$owner"), {QStringLiteral("mem_1")});
        m_dialog->setInitialValue(QStringLiteral("probability"), FieldValue::fromNumber(20));
        QVERIFY(m_dialog->canCreate());
        const QJsonObject body = m_dialog->createChanges().toCreateJson();
        QCOMPARE(
            body.value(QStringLiteral("fields")).toObject().value(QStringLiteral("probability")),
            QJsonValue(20));
        const QJsonObject relationships = body.value(QStringLiteral("relationships")).toObject();
        QCOMPARE(
            relationships.value(QStringLiteral("$account")), QJsonValue(QStringLiteral("acc_1")));
        QCOMPARE(
            relationships.value(QStringLiteral("$owner")), QJsonValue(QStringLiteral("mem_1")));
        // Only what was set: no nulls for the empty fields.
        QCOMPARE(body.value(QStringLiteral("fields")).toObject().keys(),
            (QStringList {
                QStringLiteral("$name"), QStringLiteral("$stage"), QStringLiteral("probability")}));
    }

    void firstFieldIsFocused()
    {
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowActive(m_dialog.get()));
        QTRY_COMPARE(QApplication::focusWidget(),
            m_dialog->fieldEditor(QStringLiteral("$name"))->focusTarget());
    }

    void cancelEmitsNothing()
    {
        QSignalSpy created(m_dialog.get(), &NewDealDialog::createRequested);
        typeName(QStringLiteral("x"));
        m_dialog->reject();
        QCOMPARE(created.count(), 0);
        QCOMPARE(m_dialog->result(), int(QDialog::Rejected));
    }
};

QTEST_MAIN(TestNewDealDialog)
#include "tst_newdealdialog.moc"
