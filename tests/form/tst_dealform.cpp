// DealForm: built from the schema in its order, filled without signals, dirty
// only through user edits, a ChangeSet of the dirty keys only, Revert, Save blocked by invalid
// input, per-field markers, server errors focusing their field, and a newer server copy that
// keeps the rep's edits.

#include "form/dealform.h"
#include "form/namesearchedit.h"
#include "form/recordpicker.h"
#include "itemmodels/namelistmodel.h"

#include "editors/compositeeditors.h"
#include "editors/fieldeditorfactory.h"
#include "formtesthelpers.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include <memory>

using FormTest::deal;
using FormTest::lineEditOf;
using FormTest::opportunitySchema;

namespace {

QByteArray compact(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

/** The real factory, except NUMBER, whose validity the tests drive. */
FieldEditor *testFactory(const FieldDefinition &definition, QWidget *parent)
{
    if (definition.type() == FieldType::Number && definition.isWritable())
        return new FormTest::TestNumberEditor(definition, parent);
    return FieldEditorFactory::create(definition, parent);
}

} // namespace

class TestDealForm : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DealForm> m_form;
    NameListModel m_accounts;
    NameListModel m_members;

    QLineEdit *nameEdit() const
    {
        return lineEditOf(m_form->fieldEditor(QStringLiteral("$name"))->focusTarget());
    }

    QLineEdit *probabilityEdit() const
    {
        return lineEditOf(m_form->fieldEditor(QStringLiteral("probability"))->focusTarget());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_accounts.setRecords({{QStringLiteral("acc_1"), QStringLiteral("Northwind Labs")},
            {QStringLiteral("acc_2"), QStringLiteral("Åkerlund & Co")}});
        m_members.setRecords({{QStringLiteral("mem_1"), QStringLiteral("Ana Ruiz")}});
    }

    void init()
    {
        m_form = std::make_unique<DealForm>();
        m_form->setEditorFactory(&testFactory);
        m_form->setNameModel(QStringLiteral("account"), &m_accounts);
        m_form->setNameModel(QStringLiteral("member"), &m_members);
        m_form->setSchema(opportunitySchema());
    }

    void cleanup() { m_form.reset(); }

    void phonesAreReadInTheDealsCountry()
    {
        // The locale says US; the deal's address says Norway, and the deal wins.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        Record record = deal();
        Address address;
        address.city = QStringLiteral("Oslo");
        address.country = QStringLiteral("NO");
        record.setValue(QStringLiteral("deliveryAddress"), FieldValue::fromAddress(address));
        m_form->setRecord(record);
        m_form->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));

        FieldEditor *phones = m_form->fieldEditor(QStringLiteral("buyerPhones"));
        QVERIFY(phones);
        QLineEdit *phone = lineEditOf(phones->focusTarget());
        QTest::keyClicks(phone, QStringLiteral("61 23 45 67"));
        QVERIFY2(phones->isAcceptable(), qPrintable(phones->validationError()));
        QCOMPARE(phones->value().toStringList(), QStringList {QStringLiteral("+4761234567")});

        // The rep moves the deal to Sweden: numbers typed afterwards are Swedish.
        auto *addressEditor
            = qobject_cast<AddressEditor *>(m_form->fieldEditor(QStringLiteral("deliveryAddress")));
        QVERIFY(addressEditor);
        QComboBox *country = addressEditor->countryCombo();
        country->setFocus();
        QTest::keyClicks(country, QStringLiteral("Sweden"));
        QCOMPARE(country->currentData().toString(), QStringLiteral("SE"));
        QVERIFY(m_form->dirtyKeys().contains(QStringLiteral("deliveryAddress")));
        phone->clear();
        QTest::keyClicks(phone, QStringLiteral("08 123 456 78"));
        QCOMPARE(phones->value().toStringList(), QStringList {QStringLiteral("+46812345678")});
    }

    void buildsRowsInSchemaOrder()
    {
        const ObjectSchema schema = opportunitySchema();
        const QList<FieldEditor *> editors = m_form->findChildren<FieldEditor *>();
        QCOMPARE(editors.size(), schema.fields().size());
        QStringList keys;
        for (const FieldDefinition &definition : schema.fields()) {
            FieldEditor *editor = m_form->fieldEditor(definition.key());
            QVERIFY2(editor, qPrintable(definition.key()));
            QCOMPARE(editor->objectName(), definition.key());
            QCOMPARE(editor->definition().key(), definition.key());
            auto *label = m_form->findChild<QLabel *>(QStringLiteral("label:") + definition.key());
            QVERIFY(label);
            QCOMPARE(label->text(), definition.label());
            QCOMPARE(label->buddy(), editor->focusTarget());
            QVERIFY(!editor->focusTarget()->accessibleName().isEmpty());
            // Form order: each row below the previous one.
            keys.append(definition.key());
        }
        for (const RelationshipDefinition &definition : schema.relationships())
            QVERIFY2(m_form->relationshipEditor(definition.key()), qPrintable(definition.key()));
        QCOMPARE(keys.first(), QStringLiteral("$name")); // system fields first
        int lastY = -1;
        m_form->resize(500, 4000);
        m_form->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_form.get()));
        for (const QString &key : std::as_const(keys)) {
            const int y = m_form->fieldEditor(key)->mapTo(m_form.get(), QPoint(0, 0)).y();
            QVERIFY2(y > lastY, qPrintable(key));
            lastY = y;
        }
    }

    void everyTypeGetsAnEditor()
    {
        ObjectSchema schema(QStringLiteral("opportunity"));
        for (FieldType type : knownFieldTypes()) {
            const QString key = QStringLiteral("f") + QString::number(int(type));
            schema.addField(FieldDefinition(key, type, fieldTypeName(type)));
        }
        schema.addField(FieldDefinition(QStringLiteral("geo"), FieldType::Unknown));
        DealForm form; // the real factory for every type
        form.setSchema(schema);
        Record record(QStringLiteral("opp_9"));
        record.setValue(QStringLiteral("f2"), FieldValue::fromNumber(3));
        form.setRecord(record);
        QCOMPARE(form.findChildren<FieldEditor *>().size(), schema.fields().size());
        for (const FieldDefinition &definition : schema.fields()) {
            FieldEditor *editor = form.fieldEditor(definition.key());
            QVERIFY2(editor, qPrintable(definition.key()));
            QCOMPARE(editor->definition().type(), definition.type());
            QCOMPARE(editor->isReadOnly(), !definition.isWritable());
        }
        QVERIFY(!form.isModified());
    }

    void setRecordEmitsNothing()
    {
        QSignalSpy dirty(m_form.get(), &DealForm::dirtyChanged);
        QSignalSpy modified(m_form.get(), &DealForm::modifiedChanged);
        QSignalSpy save(m_form.get(), &DealForm::saveRequested);
        m_form->setRecord(deal());
        m_form->setRecord(deal()); // a refresh of the same copy
        QCOMPARE(dirty.count(), 0);
        QCOMPARE(modified.count(), 0);
        QCOMPARE(save.count(), 0);
        QVERIFY(!m_form->isModified());
        QVERIFY(m_form->dirtyKeys().isEmpty());
        QVERIFY(!m_form->saveButton()->isEnabled());
        QVERIFY(m_form->changeSet().isEmpty());
        QCOMPARE(nameEdit()->text(), QStringLiteral("Northwind"));
        QCOMPARE(m_form->fieldEditor(QStringLiteral("probability"))->value(),
            FieldValue::fromNumber(40));
        QCOMPARE(m_form->relationshipEditor(QStringLiteral("$account"))->ids(),
            QStringList {QStringLiteral("acc_1")});
    }

    void headerShowsNameAndLink()
    {
        auto *title = m_form->findChild<QLabel *>(QStringLiteral("title"));
        auto *link = m_form->findChild<QLabel *>(QStringLiteral("openInLightfield"));
        QCOMPARE(title->text(), QStringLiteral("No deal selected"));
        QVERIFY(!m_form->fieldEditor(QStringLiteral("$name"))->focusTarget()->isEnabled()
            || m_form->fieldEditor(QStringLiteral("$name"))->isReadOnly());
        m_form->setRecord(deal());
        QCOMPARE(title->text(), QStringLiteral("Northwind"));
        QVERIFY(link->text().contains(QStringLiteral("https://app.lightfield.app/deals/opp_1")));
        QVERIFY(!link->isHidden());
        QVERIFY(!m_form->fieldEditor(QStringLiteral("$name"))->isReadOnly());
        QVERIFY(m_form->fieldEditor(QStringLiteral("$opportunityStatus"))->isReadOnly());
        QVERIFY(m_form->relationshipEditor(QStringLiteral("$task"))->isReadOnly());
        QVERIFY(m_form->relationshipEditor(QStringLiteral("$createdBy"))->isReadOnly());
    }

    void oneUserEditDirtiesExactlyOneField()
    {
        m_form->setRecord(deal());
        QSignalSpy dirty(m_form.get(), &DealForm::dirtyChanged);
        QSignalSpy modified(m_form.get(), &DealForm::modifiedChanged);
        QSignalSpy save(m_form.get(), &DealForm::saveRequested);

        QTest::keyClicks(nameEdit(), QStringLiteral(" renewal"));
        QCOMPARE(dirty.count(), 1);
        QCOMPARE(dirty.first().at(0).toString(), QStringLiteral("$name"));
        QCOMPARE(dirty.first().at(1).toBool(), true);
        QCOMPARE(modified.count(), 1);
        QCOMPARE(m_form->dirtyKeys(), QStringList {QStringLiteral("$name")});
        QVERIFY(!m_form->findChild<QLabel *>(QStringLiteral("dirty:$name"))->isHidden());
        const auto *cleanMark = m_form->findChild<QLabel *>(QStringLiteral("dirty:nextSteps"));
        QVERIFY(!cleanMark || cleanMark->isHidden());

        const ChangeSet changes = m_form->changeSet();
        QCOMPARE(changes.fieldKeys(), QStringList {QStringLiteral("$name")});
        QCOMPARE(compact(changes.toUpdateJson()),
            QByteArrayLiteral(R"j({"fields":{"$name":"Northwind renewal"}})j"));

        QVERIFY(m_form->saveButton()->isEnabled());
        QTest::mouseClick(m_form->saveButton(), Qt::LeftButton);
        QCOMPARE(save.count(), 1);
        QCOMPARE(save.first().at(0).toString(), QStringLiteral("opp_1"));
        QCOMPARE(save.first().at(1).value<ChangeSet>(), changes);
    }

    void editingBackToTheBaseIsClean()
    {
        m_form->setRecord(deal());
        QSignalSpy dirty(m_form.get(), &DealForm::dirtyChanged);
        QTest::keyClick(nameEdit(), Qt::Key_X);
        QVERIFY(m_form->isDirty(QStringLiteral("$name")));
        QTest::keyClick(nameEdit(), Qt::Key_Backspace);
        QVERIFY(!m_form->isDirty(QStringLiteral("$name")));
        QCOMPARE(dirty.count(), 2);
        QVERIFY(!m_form->saveButton()->isEnabled());
    }

    void relationshipEditGoesIntoTheChangeSet()
    {
        m_form->setRecord(deal());
        auto *picker
            = qobject_cast<RecordPicker *>(m_form->relationshipEditor(QStringLiteral("$account")));
        QVERIFY(picker);
        QCOMPARE(picker->lineEdit()->text(), QStringLiteral("Northwind Labs"));
        picker->lineEdit()->selectAll();
        QTest::keyClicks(picker->lineEdit(), QStringLiteral("akerl"));
        QVERIFY(!m_form->isModified()); // a search is not an edit
        QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
        QCOMPARE(m_form->dirtyKeys(), QStringList {QStringLiteral("$account")});
        QCOMPARE(compact(m_form->changeSet().toUpdateJson()),
            QByteArrayLiteral(R"j({"relationships":{"$account":{"replace":"acc_2"}}})j"));
    }

    void revertRestoresTheBase()
    {
        m_form->setRecord(deal());
        QTest::keyClicks(nameEdit(), QStringLiteral(" 2"));
        probabilityEdit()->selectAll();
        QTest::keyClicks(probabilityEdit(), QStringLiteral("75"));
        QCOMPARE(m_form->dirtyKeys(),
            (QStringList {QStringLiteral("$name"), QStringLiteral("probability")}));
        QSignalSpy dirty(m_form.get(), &DealForm::dirtyChanged);
        QSignalSpy modified(m_form.get(), &DealForm::modifiedChanged);
        QVERIFY(m_form->revertButton()->isEnabled());
        QTest::mouseClick(m_form->revertButton(), Qt::LeftButton);
        QCOMPARE(dirty.count(), 2);
        QCOMPARE(modified.count(), 1);
        QVERIFY(!m_form->isModified());
        QCOMPARE(nameEdit()->text(), QStringLiteral("Northwind"));
        QCOMPARE(m_form->fieldEditor(QStringLiteral("probability"))->value(),
            FieldValue::fromNumber(40));
        QVERIFY(m_form->changeSet().isEmpty());
        QVERIFY(!m_form->saveButton()->isEnabled());
        QVERIFY(!m_form->revertButton()->isEnabled());
        QVERIFY(m_form->findChild<QLabel *>(QStringLiteral("dirty:$name"))->isHidden());
    }

    void invalidInputBlocksSave()
    {
        m_form->setRecord(deal());
        QSignalSpy save(m_form.get(), &DealForm::saveRequested);
        QTest::keyClicks(nameEdit(), QStringLiteral(" 2"));
        QVERIFY(m_form->saveButton()->isEnabled());
        probabilityEdit()->selectAll();
        QTest::keyClicks(probabilityEdit(), QStringLiteral("lots"));
        // Its value did not change, but the rep's input is there and cannot be saved.
        QVERIFY(m_form->isDirty(QStringLiteral("probability")));
        QVERIFY(!m_form->canSave());
        QVERIFY(!m_form->saveButton()->isEnabled());
        QVERIFY(m_form->statusText().contains(QStringLiteral("Probability")));
        auto *message = m_form->findChild<QLabel *>(QStringLiteral("message:probability"));
        QVERIFY(message && !message->isHidden());
        QCOMPARE(message->text(), QStringLiteral("Type a number."));
        m_form->save();
        QCOMPARE(save.count(), 0);

        probabilityEdit()->selectAll();
        QTest::keyClicks(probabilityEdit(), QStringLiteral("55"));
        QVERIFY(m_form->saveButton()->isEnabled());
        QVERIFY(message->isHidden());
        QVERIFY(m_form->statusText().isEmpty());
        QCOMPARE(compact(m_form->changeSet().toUpdateJson()),
            QByteArrayLiteral(R"j({"fields":{"$name":"Northwind 2","probability":55}})j"));
    }

    void fieldMarkers_data()
    {
        QTest::addColumn<DealForm::FieldState>("state");
        QTest::newRow("pending") << DealForm::FieldState::Pending;
        QTest::newRow("conflict") << DealForm::FieldState::Conflict;
        QTest::newRow("error") << DealForm::FieldState::Error;
    }

    void fieldMarkers()
    {
        QFETCH(DealForm::FieldState, state);
        m_form->setRecord(deal());
        QVERIFY(!m_form->findChild<QLabel *>(QStringLiteral("state:$amount")));
        m_form->setFieldState(QStringLiteral("$amount"), state, QStringLiteral("Why"));
        QCOMPARE(m_form->fieldState(QStringLiteral("$amount")), state);
        QCOMPARE(m_form->fieldStateMessage(QStringLiteral("$amount")), QStringLiteral("Why"));
        auto *icon = m_form->findChild<QLabel *>(QStringLiteral("state:$amount"));
        QVERIFY(icon);
        QVERIFY(!icon->isHidden());
        QVERIFY(!icon->pixmap().isNull());
        QCOMPARE(icon->toolTip(), QStringLiteral("Why"));
        QVERIFY(!icon->accessibleName().isEmpty());
        QCOMPARE(m_form->fieldState(QStringLiteral("$name")), DealForm::FieldState::None);
        // A marker is not an edit.
        QVERIFY(!m_form->isModified());

        m_form->setFieldState(QStringLiteral("$amount"), DealForm::FieldState::None);
        QVERIFY(icon->isHidden());
        m_form->setFieldState(QStringLiteral("$owner"), state, QStringLiteral("Rel"));
        QCOMPARE(m_form->fieldState(QStringLiteral("$owner")), state);
        m_form->clearFieldStates();
        QCOMPARE(m_form->fieldState(QStringLiteral("$owner")), DealForm::FieldState::None);
    }

    void showFieldErrorFocusesTheField()
    {
        m_form->resize(400, 300); // small enough that the field must be scrolled to
        m_form->show();
        m_form->setRecord(deal());
        QVERIFY(QTest::qWaitForWindowActive(m_form.get()));
        m_form->showFieldError(
            QStringLiteral("fields.probability"), QStringLiteral("Must be at most 100."));
        QTRY_COMPARE(QApplication::focusWidget(), probabilityEdit());
        QCOMPARE(m_form->fieldState(QStringLiteral("probability")), DealForm::FieldState::Error);
        auto *message = m_form->findChild<QLabel *>(QStringLiteral("message:probability"));
        QVERIFY(message && message->isVisible());
        QCOMPARE(message->text(), QStringLiteral("Must be at most 100."));
        // Scrolled to: the editor lies inside the scroll area's viewport.
        const QWidget *viewport
            = m_form->findChild<QScrollArea *>(QStringLiteral("fields"))->viewport();
        const auto editorInViewport = [&] {
            const QRect rect(
                probabilityEdit()->mapTo(viewport, QPoint(0, 0)), probabilityEdit()->size());
            return viewport->rect().contains(rect);
        };
        QTRY_VERIFY(editorInViewport());

        // The rep's next edit answers the error.
        QTest::keyClicks(probabilityEdit(), QStringLiteral("9"));
        QCOMPARE(m_form->fieldState(QStringLiteral("probability")), DealForm::FieldState::None);
        QVERIFY(message->isHidden());

        m_form->showFieldError(QStringLiteral("relationships.$account"), QStringLiteral("Gone"));
        QTRY_COMPARE(QApplication::focusWidget(),
            m_form->relationshipEditor(QStringLiteral("$account"))->focusTarget());

        m_form->showFieldError(QStringLiteral("fields.nope"), QStringLiteral("Unknown field"));
        QCOMPARE(m_form->statusText(), QStringLiteral("Unknown field"));
    }

    void firstEditableFieldIsFocused()
    {
        m_form->setRecord(deal());
        m_form->show();
        QVERIFY(QTest::qWaitForWindowActive(m_form.get()));
        QTRY_COMPARE(QApplication::focusWidget(), nameEdit());
    }

    void newerServerCopyKeepsTheRepsEdits()
    {
        m_form->setRecord(deal());
        QTest::keyClicks(nameEdit(), QStringLiteral(" (rep)"));
        QSignalSpy dirty(m_form.get(), &DealForm::dirtyChanged);

        Record newer = deal();
        newer.setValue(QStringLiteral("$name"),
            FieldValue::fromText(FieldType::Text, QStringLiteral("Northwind (server)")));
        newer.setValue(QStringLiteral("nextSteps"),
            FieldValue::fromText(FieldType::Markdown, QStringLiteral("Call the CFO")));
        m_form->setRecord(newer);

        QCOMPARE(dirty.count(), 0);
        QCOMPARE(nameEdit()->text(), QStringLiteral("Northwind (rep)"));
        QCOMPARE(m_form->fieldEditor(QStringLiteral("nextSteps"))->value(),
            FieldValue::fromText(FieldType::Markdown, QStringLiteral("Call the CFO")));
        QCOMPARE(m_form->dirtyKeys(), QStringList {QStringLiteral("$name")});
        QCOMPARE(m_form->fieldState(QStringLiteral("$name")), DealForm::FieldState::Conflict);
        QCOMPARE(compact(m_form->changeSet().toUpdateJson()),
            QByteArrayLiteral(R"j({"fields":{"$name":"Northwind (rep)"}})j"));

        // The saved copy comes back: nothing is left dirty.
        Record saved = newer;
        saved.setValue(QStringLiteral("$name"),
            FieldValue::fromText(FieldType::Text, QStringLiteral("Northwind (rep)")));
        m_form->setRecord(saved);
        QVERIFY(!m_form->isModified());
        QCOMPARE(dirty.count(), 1);
    }

    void anotherRecordStartsClean()
    {
        m_form->setRecord(deal());
        QTest::keyClicks(nameEdit(), QStringLiteral("!"));
        m_form->setRecord(deal(QStringLiteral("opp_2")));
        QVERIFY(!m_form->isModified());
        QCOMPARE(nameEdit()->text(), QStringLiteral("Northwind"));
        QCOMPARE(m_form->recordId(), QStringLiteral("opp_2"));
    }

    void markSavedMakesTheEditsTheBase()
    {
        m_form->setRecord(deal());
        QTest::keyClicks(nameEdit(), QStringLiteral(" 3"));
        m_form->markSaved();
        QVERIFY(!m_form->isModified());
        QCOMPARE(m_form->baseRecord().value(QStringLiteral("$name")).toText(),
            QStringLiteral("Northwind 3"));
        m_form->revert();
        QCOMPARE(nameEdit()->text(), QStringLiteral("Northwind 3"));
    }
};

QTEST_MAIN(TestDealForm)
#include "tst_dealform.moc"
