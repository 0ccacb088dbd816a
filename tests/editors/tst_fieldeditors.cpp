// The typed field editors built by FieldEditorFactory: the dirty-tracking
// contract (setValue → no edited(), one user edit → exactly one), validation, read-only state
// and the raw fallback, for every value type.

#include "editors/checkboxeditor.h"
#include "editors/compositeeditors.h"
#include "editors/contactlisteditor.h"
#include "editors/datetimeeditor.h"
#include "editors/fieldeditorfactory.h"
#include "editors/markdowneditor.h"
#include "editors/numbereditor.h"
#include "editors/phonenumbers.h"
#include "editors/rawvalueeditor.h"
#include "editors/selecteditors.h"
#include "editors/texteditor.h"

#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QToolButton>
#include <QtTest>
#include <QVBoxLayout>

#include <memory>

namespace {

QList<SelectOption> options()
{
    return {{QStringLiteral("opt_a"), QStringLiteral("Alpha"), QStringLiteral("First"), {}},
        {QStringLiteral("opt_b"), QStringLiteral("Beta"), {}, {}},
        {QStringLiteral("opt_c"), QStringLiteral("Gamma"), {}, {}}};
}

FieldDefinition definitionFor(FieldType type)
{
    FieldDefinition definition(QStringLiteral("field_%1").arg(int(type)), type,
        QStringLiteral("Label %1").arg(fieldTypeName(type)));
    definition.setOptions(options());
    if (type == FieldType::Currency)
        definition.setCurrency(QStringLiteral("USD"));
    if (type == FieldType::SocialHandle)
        definition.setHandleService(QStringLiteral("LINKEDIN"));
    if (type == FieldType::Url)
        definition.setMultipleValues(true);
    if (type == FieldType::Email)
        definition.setMultipleValues(false);
    return definition;
}

QDateTime utc(int year, int month, int day, int hour)
{
    return QDateTime(QDate(year, month, day), QTime(hour, 0), QTimeZone::utc());
}

/** The line edit a rep types into, for the editors built on one. */
QLineEdit *lineInput(FieldEditor *editor)
{
    return qobject_cast<QLineEdit *>(editor->focusTarget());
}

/** One user edit of the kind each row of userEditData() describes. */
void performUserEdit(FieldEditor *editor)
{
    switch (editor->definition().type()) {
    case FieldType::Text:
    case FieldType::Number:
    case FieldType::Currency:
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Telephone:
    case FieldType::SocialHandle: {
        static const QHash<FieldType, char> keys {{FieldType::Text, 'e'}, {FieldType::Number, '2'},
            {FieldType::Currency, '5'}, {FieldType::Email, 'e'}, {FieldType::Url, 'm'},
            {FieldType::Telephone, '0'}, {FieldType::SocialHandle, 'a'}};
        QLineEdit *edit = lineInput(editor);
        QVERIFY(edit);
        edit->end(false);
        QTest::keyClick(edit, keys.value(editor->definition().type()));
        break;
    }
    case FieldType::Markdown: {
        auto *markdown = qobject_cast<MarkdownEditor *>(editor);
        markdown->sourceEdit()->moveCursor(QTextCursor::End);
        QTest::keyClick(markdown->sourceEdit(), 'x');
        break;
    }
    case FieldType::Checkbox:
        QTest::keyClick(qobject_cast<CheckboxEditor *>(editor)->checkBox(), Qt::Key_Space);
        break;
    case FieldType::DateTime: {
        QDateTimeEdit *edit = qobject_cast<DateTimeEditor *>(editor)->dateTimeEdit();
        edit->setCurrentSection(QDateTimeEdit::DaySection);
        QTest::keyClick(edit, Qt::Key_Up);
        break;
    }
    case FieldType::SingleSelect:
        QTest::keyClick(qobject_cast<SingleSelectEditor *>(editor)->comboBox(), Qt::Key_Down);
        break;
    case FieldType::MultiSelect: {
        auto *multi = qobject_cast<MultiSelectEditor *>(editor);
        multi->listView()->setCurrentIndex(multi->filteredOptions()->index(1, 0));
        QTest::keyClick(multi->listView(), Qt::Key_Space);
        break;
    }
    case FieldType::Address:
        qobject_cast<AddressEditor *>(editor)->streetEdit()->end(false);
        QTest::keyClick(qobject_cast<AddressEditor *>(editor)->streetEdit(), 't');
        break;
    case FieldType::FullName:
        qobject_cast<FullNameEditor *>(editor)->firstNameEdit()->end(false);
        QTest::keyClick(qobject_cast<FullNameEditor *>(editor)->firstNameEdit(), 'a');
        break;
    case FieldType::Unknown:
        break;
    }
}

std::unique_ptr<FieldEditor> shown(const FieldDefinition &definition)
{
    std::unique_ptr<FieldEditor> editor(FieldEditorFactory::create(definition));
    editor->resize(420, editor->sizeHint().height());
    editor->show();
    return editor;
}

} // namespace

class TestFieldEditors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void factoryBuildsOneEditorPerType_data();
    void factoryBuildsOneEditorPerType();
    void setValueEmitsNothing_data();
    void setValueEmitsNothing();
    void oneUserEditEmitsOnce_data();
    void oneUserEditEmitsOnce();
    void readOnlyDefinitionAllowsNoEdit_data();
    void readOnlyDefinitionAllowsNoEdit();
    void setReadOnlyBlocksAndRestoresEditing();
    void invalidInputIsRefused_data();
    void invalidInputIsRefused();
    void validInputClearsTheError();
    void phoneNumbersAreNormalisedToE164_data();
    void phoneNumbersAreNormalisedToE164();
    void phoneRegionComesFromTheLocaleOrNowhere();
    void localeDecimalsAreRead();
    void amountsShowGroupSeparators_data();
    void amountsShowGroupSeparators();
    void currencyShowsTheCodeAndSymbol();
    void multiValueListAddsAndRemoves();
    void dateTimeClearSetsNull();
    void emptyDateCalendarOpensAtToday();
    void typingIntoADateSectionSetsIt();
    void emptyDateLetsTabLeave();
    void dateOnlyValueShowsOnlyTheDate();
    void markdownPreviewRendersWithoutHtml();
    void multiSelectFilterHidesOptions();
    void unknownOptionIdIsKept();
    void requiredSelectOffersNoEmptyChoice();
    void socialHandleShowsProfileUrl_data();
    void socialHandleShowsProfileUrl();
    void unknownTypeShowsRawJsonReadOnly();
    void rawValueOnTypedEditorIsReadOnly();
    void namesFollowTheDefinition();
};

void TestFieldEditors::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Decimal parsing and formatting are locale-aware: pin the locale the rows are written in.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestFieldEditors::cleanup()
{
    // Some tests switch the default locale; the next one starts from the pinned one.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestFieldEditors::factoryBuildsOneEditorPerType_data()
{
    QTest::addColumn<FieldType>("type");
    QTest::addColumn<QString>("className");
    const QList<std::pair<FieldType, const char *>> rows {{FieldType::Text, "TextEditor"},
        {FieldType::Markdown, "MarkdownEditor"}, {FieldType::Number, "NumberEditor"},
        {FieldType::Currency, "CurrencyEditor"}, {FieldType::Checkbox, "CheckboxEditor"},
        {FieldType::DateTime, "DateTimeEditor"}, {FieldType::Email, "ContactListEditor"},
        {FieldType::Url, "ContactListEditor"}, {FieldType::Telephone, "ContactListEditor"},
        {FieldType::SingleSelect, "SingleSelectEditor"},
        {FieldType::MultiSelect, "MultiSelectEditor"}, {FieldType::Address, "AddressEditor"},
        {FieldType::FullName, "FullNameEditor"}, {FieldType::SocialHandle, "SocialHandleEditor"},
        {FieldType::Unknown, "RawValueEditor"}};
    for (const auto &[type, name] : rows)
        QTest::newRow(qPrintable(
            fieldTypeName(type).isEmpty() ? QStringLiteral("UNKNOWN") : fieldTypeName(type)))
            << type << QString::fromLatin1(name);
}

void TestFieldEditors::factoryBuildsOneEditorPerType()
{
    QFETCH(FieldType, type);
    QFETCH(QString, className);
    std::unique_ptr<FieldEditor> editor(FieldEditorFactory::create(definitionFor(type)));
    QVERIFY(editor);
    QCOMPARE(QString::fromLatin1(editor->metaObject()->className()), className);
    QCOMPARE(editor->isReadOnly(), type == FieldType::Unknown);
}

// Each row: a value set in code, one user edit (performUserEdit) and the value it gives.
static void userEditData()
{
    QTest::addColumn<FieldType>("type");
    QTest::addColumn<FieldValue>("initial");
    QTest::addColumn<FieldValue>("expected");

    QTest::newRow("TEXT") << FieldType::Text
                          << FieldValue::fromText(FieldType::Text, QStringLiteral("Acm"))
                          << FieldValue::fromText(FieldType::Text, QStringLiteral("Acme"));
    QTest::newRow("MARKDOWN") << FieldType::Markdown
                              << FieldValue::fromText(FieldType::Markdown, QStringLiteral("# Hi"))
                              << FieldValue::fromText(FieldType::Markdown, QStringLiteral("# Hix"));
    QTest::newRow("NUMBER") << FieldType::Number << FieldValue::fromNumber(4)
                            << FieldValue::fromNumber(42);
    QTest::newRow("NUMBER decimals")
        << FieldType::Number << FieldValue::fromNumber(12.5) << FieldValue::fromNumber(12.52);
    QTest::newRow("CURRENCY") << FieldType::Currency
                              << FieldValue::fromCents(1200, QStringLiteral("USD"))
                              << FieldValue::fromCents(12500, QStringLiteral("USD"));
    QTest::newRow("CURRENCY from null")
        << FieldType::Currency << FieldValue::null(FieldType::Currency)
        << FieldValue::fromCents(500, QStringLiteral("USD"));
    QTest::newRow("CHECKBOX") << FieldType::Checkbox << FieldValue::fromBool(false)
                              << FieldValue::fromBool(true);
    QTest::newRow("CHECKBOX from null")
        << FieldType::Checkbox << FieldValue::null(FieldType::Checkbox)
        << FieldValue::fromBool(true);
    QTest::newRow("DATETIME") << FieldType::DateTime
                              << FieldValue::fromDateTime(utc(2026, 3, 10, 15))
                              << FieldValue::fromDateTime(
                                     utc(2026, 3, 10, 15).toLocalTime().addDays(1).toUTC());
    QTest::newRow("EMAIL single") << FieldType::Email
                                  << FieldValue::fromStringList(
                                         FieldType::Email, {QStringLiteral("ana@north.exampl")})
                                  << FieldValue::fromStringList(
                                         FieldType::Email, {QStringLiteral("ana@north.example")});
    QTest::newRow("URL multiple") << FieldType::Url
                                  << FieldValue::fromStringList(FieldType::Url,
                                         {QStringLiteral("https://north.example/roo")})
                                  << FieldValue::fromStringList(FieldType::Url,
                                         {QStringLiteral("https://north.example/room")});
    QTest::newRow("TELEPHONE") << FieldType::Telephone
                               << FieldValue::fromStringList(
                                      FieldType::Telephone, {QStringLiteral("+1512555010")})
                               << FieldValue::fromStringList(
                                      FieldType::Telephone, {QStringLiteral("+15125550100")});
    QTest::newRow("SINGLE_SELECT")
        << FieldType::SingleSelect
        << FieldValue::fromText(FieldType::SingleSelect, QStringLiteral("opt_a"))
        << FieldValue::fromText(FieldType::SingleSelect, QStringLiteral("opt_b"));
    QTest::newRow("SINGLE_SELECT from none")
        << FieldType::SingleSelect << FieldValue::null(FieldType::SingleSelect)
        << FieldValue::fromText(FieldType::SingleSelect, QStringLiteral("opt_a"));
    QTest::newRow("MULTI_SELECT") << FieldType::MultiSelect
                                  << FieldValue::fromStringList(
                                         FieldType::MultiSelect, {QStringLiteral("opt_a")})
                                  << FieldValue::fromStringList(FieldType::MultiSelect,
                                         {QStringLiteral("opt_a"), QStringLiteral("opt_b")});
    Address address;
    address.street = QStringLiteral("1 Main S");
    address.city = QStringLiteral("Austin");
    address.country = QStringLiteral("US");
    address.latitude = 30.27;
    Address edited = address;
    edited.street = QStringLiteral("1 Main St");
    QTest::newRow("ADDRESS") << FieldType::Address << FieldValue::fromAddress(address)
                             << FieldValue::fromAddress(edited);
    QTest::newRow("FULL_NAME") << FieldType::FullName
                               << FieldValue::fromFullName(
                                      {QStringLiteral("An"), QStringLiteral("Ruiz")})
                               << FieldValue::fromFullName(
                                      {QStringLiteral("Ana"), QStringLiteral("Ruiz")});
    QTest::newRow("SOCIAL_HANDLE") << FieldType::SocialHandle
                                   << FieldValue::fromText(FieldType::SocialHandle,
                                          QStringLiteral("https://linkedin.com/in/an"))
                                   << FieldValue::fromText(FieldType::SocialHandle,
                                          QStringLiteral("https://linkedin.com/in/ana"));
}

void TestFieldEditors::setValueEmitsNothing_data()
{
    userEditData();
}

void TestFieldEditors::setValueEmitsNothing()
{
    QFETCH(FieldType, type);
    QFETCH(FieldValue, initial);
    QFETCH(FieldValue, expected);
    auto editor = shown(definitionFor(type));
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    QSignalSpy committed(editor.get(), &FieldEditor::committed);

    editor->setValue(initial);
    QCOMPARE(editor->value(), initial);
    editor->setValue(expected);
    QCOMPARE(editor->value(), expected);
    editor->setValue(FieldValue::null(type));
    QVERIFY(editor->value().isNull());
    editor->setValue(initial);
    QCOMPARE(editor->value(), initial);
    QVERIFY(editor->isAcceptable());
    QCOMPARE(edited.count(), 0);
    QCOMPARE(committed.count(), 0);
}

void TestFieldEditors::oneUserEditEmitsOnce_data()
{
    userEditData();
}

void TestFieldEditors::oneUserEditEmitsOnce()
{
    QFETCH(FieldType, type);
    QFETCH(FieldValue, initial);
    QFETCH(FieldValue, expected);
    auto editor = shown(definitionFor(type));
    editor->setValue(initial);
    QSignalSpy edited(editor.get(), &FieldEditor::edited);

    performUserEdit(editor.get());

    QCOMPARE(edited.count(), 1);
    QVERIFY2(editor->value() == expected, qPrintable(editor->value().debugString()));
    QVERIFY2(editor->isAcceptable(), qPrintable(editor->validationError()));
}

void TestFieldEditors::readOnlyDefinitionAllowsNoEdit_data()
{
    userEditData();
}

void TestFieldEditors::readOnlyDefinitionAllowsNoEdit()
{
    QFETCH(FieldType, type);
    QFETCH(FieldValue, initial);
    FieldDefinition definition = definitionFor(type);
    definition.setReadOnly(true);
    auto editor = shown(definition);
    editor->setValue(initial);
    QVERIFY(editor->isReadOnly());
    // Asking for an editable editor cannot override the definition.
    editor->setReadOnly(false);
    QVERIFY(editor->isReadOnly());
    QSignalSpy edited(editor.get(), &FieldEditor::edited);

    performUserEdit(editor.get());

    QCOMPARE(edited.count(), 0);
    QCOMPARE(editor->value(), initial);
}

void TestFieldEditors::setReadOnlyBlocksAndRestoresEditing()
{
    auto editor = shown(definitionFor(FieldType::Text));
    editor->setValue(FieldValue::fromText(FieldType::Text, QStringLiteral("Acm")));
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    editor->setReadOnly(true);
    QVERIFY(editor->isReadOnly());
    performUserEdit(editor.get());
    QCOMPARE(edited.count(), 0);
    QCOMPARE(editor->value().toText(), QStringLiteral("Acm"));

    editor->setReadOnly(false);
    QVERIFY(!editor->isReadOnly());
    performUserEdit(editor.get());
    QCOMPARE(edited.count(), 1);
    QCOMPARE(editor->value().toText(), QStringLiteral("Acme"));
}

void TestFieldEditors::invalidInputIsRefused_data()
{
    QTest::addColumn<FieldType>("type");
    QTest::addColumn<QString>("typed");

    QTest::newRow("number with letters") << FieldType::Number << QStringLiteral("12abc");
    QTest::newRow("number with 3 decimals") << FieldType::Number << QStringLiteral("1.234");
    QTest::newRow("number out of range") << FieldType::Number << QStringLiteral("9007199254740993");
    QTest::newRow("currency with 3 decimals") << FieldType::Currency << QStringLiteral("12.345");
    QTest::newRow("currency text") << FieldType::Currency << QStringLiteral("twelve");
    QTest::newRow("email without domain") << FieldType::Email << QStringLiteral("ana@");
    QTest::newRow("email without at") << FieldType::Email << QStringLiteral("ana.north.example");
    QTest::newRow("email with space")
        << FieldType::Email << QStringLiteral("ana ruiz@north.example");
    QTest::newRow("url ftp") << FieldType::Url << QStringLiteral("ftp://files.example");
    QTest::newRow("url words") << FieldType::Url << QStringLiteral("not a url");
    QTest::newRow("phone too short") << FieldType::Telephone << QStringLiteral("12");
    QTest::newRow("phone letters") << FieldType::Telephone << QStringLiteral("call me");
    QTest::newRow("handle with space") << FieldType::SocialHandle << QStringLiteral("ana ruiz");
    QTest::newRow("handle other site")
        << FieldType::SocialHandle << QStringLiteral("https://example.com/in/ana");
}

void TestFieldEditors::invalidInputIsRefused()
{
    QFETCH(FieldType, type);
    QFETCH(QString, typed);
    auto editor = shown(definitionFor(type));
    editor->setValue(FieldValue::null(type));
    QLineEdit *edit = lineInput(editor.get());
    QVERIFY(edit);
    QSignalSpy edited(editor.get(), &FieldEditor::edited);

    QTest::keyClicks(edit, typed);

    QVERIFY(edited.count() > 0);
    QVERIFY(!editor->isAcceptable());
    QVERIFY(!editor->validationError().isEmpty());
    QCOMPARE(edit->toolTip(), editor->validationError());
    // value() never holds what the editor refused.
    const FieldValue value = editor->value();
    QVERIFY(value.isNull() || value.type() == type);
    if (!value.isNull() && isStringListType(type))
        QVERIFY(!value.toStringList().contains(typed));
}

void TestFieldEditors::validInputClearsTheError()
{
    auto editor = shown(definitionFor(FieldType::Currency));
    QLineEdit *edit = lineInput(editor.get());
    QTest::keyClicks(edit, QStringLiteral("12.345"));
    QVERIFY(!editor->isAcceptable());
    QCOMPARE(editor->value().toCents(), qint64(1234)); // the last acceptable input, "12.34"
    QTest::keyClick(edit, Qt::Key_Backspace);
    QVERIFY(editor->isAcceptable());
    QVERIFY(editor->validationError().isEmpty());
    QCOMPARE(editor->value(), FieldValue::fromCents(1234, QStringLiteral("USD")));
    QCOMPARE(editor->value().currencyCode(), QStringLiteral("USD"));
}

void TestFieldEditors::phoneNumbersAreNormalisedToE164_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("expected");
    QTest::newRow("US local") << QStringLiteral("(512) 555-0100") << QStringLiteral("US")
                              << QStringLiteral("+15125550100");
    QTest::newRow("US extension") << QStringLiteral("512 555 0100 x12") << QStringLiteral("US")
                                  << QStringLiteral("+15125550100;ext=12");
    QTest::newRow("international") << QStringLiteral("+44 20 7946 0958") << QStringLiteral("US")
                                   << QStringLiteral("+442079460958");
    QTest::newRow("German local") << QStringLiteral("030 123456") << QStringLiteral("DE")
                                  << QStringLiteral("+4930123456");
    QTest::newRow("Norwegian local")
        << QStringLiteral("61 23 45 67") << QStringLiteral("NO") << QStringLiteral("+4761234567");
}

void TestFieldEditors::phoneNumbersAreNormalisedToE164()
{
    QFETCH(QString, typed);
    QFETCH(QString, region);
    QFETCH(QString, expected);
    QString error;
    QCOMPARE(PhoneNumbers::normalise(typed, region, &error), expected);
    QVERIFY(error.isEmpty());

    auto editor = shown(definitionFor(FieldType::Telephone));
    qobject_cast<ContactListEditor *>(editor.get())->setPhoneRegion(region);
    QLineEdit *edit = lineInput(editor.get());
    QTest::keyClicks(edit, typed);
    QCOMPARE(editor->value().toStringList(), QStringList {expected});
    // Leaving the entry shows the normalised form, which is no edit.
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    Q_EMIT edit->editingFinished();
    QCOMPARE(edit->text(), expected);
    QCOMPARE(edited.count(), 0);
}

void TestFieldEditors::phoneRegionComesFromTheLocaleOrNowhere()
{
    // Ten digits are not a Norwegian number: refused in Norway, never read as a US one.
    QString error;
    QCOMPARE(PhoneNumbers::normalise(QStringLiteral("0612345678"), QStringLiteral("NO"), &error),
        QString());
    QVERIFY(!error.isEmpty());

    // No region set on the editor: the locale's territory.
    QLocale::setDefault(QLocale(QLocale::NorwegianBokmal, QLocale::Norway));
    QCOMPARE(PhoneNumbers::defaultRegion(), QStringLiteral("NO"));
    {
        auto editor = shown(definitionFor(FieldType::Telephone));
        QTest::keyClicks(lineInput(editor.get()), QStringLiteral("61 23 45 67"));
        QCOMPARE(editor->value().toStringList(), QStringList {QStringLiteral("+4761234567")});
    }

    // A locale without a territory gives no region: no country is guessed, the rep is asked for
    // the country code, and a number typed with one is still read.
    QLocale::setDefault(QLocale::c());
    QCOMPARE(PhoneNumbers::defaultRegion(), QString());
    error.clear();
    QCOMPARE(PhoneNumbers::normalise(QStringLiteral("0612345678"), {}, &error), QString());
    QVERIFY2(error.contains(QStringLiteral("country code")), qPrintable(error));
    auto editor = shown(definitionFor(FieldType::Telephone));
    QLineEdit *edit = lineInput(editor.get());
    QTest::keyClicks(edit, QStringLiteral("0612345678"));
    QVERIFY(!editor->isAcceptable());
    QVERIFY2(editor->validationError().contains(QStringLiteral("country code")),
        qPrintable(editor->validationError()));
    QVERIFY(editor->value().toStringList().isEmpty());
    Q_EMIT edit->editingFinished();
    QCOMPARE(edit->text(), QStringLiteral("0612345678"));
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("+47 61 23 45 67"));
    QVERIFY2(editor->isAcceptable(), qPrintable(editor->validationError()));
    QCOMPARE(editor->value().toStringList(), QStringList {QStringLiteral("+4761234567")});
}

void TestFieldEditors::localeDecimalsAreRead()
{
    auto editor = shown(definitionFor(FieldType::Number));
    editor->setLocale(QLocale(QLocale::German, QLocale::Germany));
    editor->setValue(FieldValue::fromNumber(1234.5));
    QLineEdit *edit = lineInput(editor.get());
    QCOMPARE(edit->text(), QStringLiteral("1.234,5"));
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("1.234,75"));
    QVERIFY2(editor->isAcceptable(), qPrintable(editor->validationError()));
    QCOMPARE(editor->value(), FieldValue::fromNumber(1234.75));
}

void TestFieldEditors::currencyShowsTheCodeAndSymbol()
{
    auto editor = shown(definitionFor(FieldType::Currency));
    auto *currency = qobject_cast<CurrencyEditor *>(editor.get());
    QCOMPARE(currency->currencyText(), QStringLiteral("$ USD"));
    editor->setValue(FieldValue::fromCents(4800000, QStringLiteral("USD")));
    QCOMPARE(currency->lineEdit()->text(), QStringLiteral("48,000"));
    editor->setValue(FieldValue::fromCents(1250, QStringLiteral("USD")));
    QCOMPARE(currency->lineEdit()->text(), QStringLiteral("12.50"));
    // A pasted symbol, code and group separator are understood.
    currency->lineEdit()->clear();
    QTest::keyClicks(currency->lineEdit(), QStringLiteral("$1,200.50 USD"));
    QVERIFY2(editor->isAcceptable(), qPrintable(editor->validationError()));
    QCOMPARE(editor->value().toCents(), qint64(120050));
}

void TestFieldEditors::amountsShowGroupSeparators_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<FieldType>("type");
    QTest::addColumn<FieldValue>("initial");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<FieldValue>("expected");
    QTest::addColumn<QString>("shownAfterwards");

    const QLocale us(QLocale::English, QLocale::UnitedStates);
    const QLocale no(QLocale::NorwegianBokmal, QLocale::Norway);
    const QString usd = QStringLiteral("USD");
    // CLDR groups Norwegian digits with a no-break space and writes a minus sign.
    const auto nb = [](std::initializer_list<const char *> groups) {
        QStringList parts;
        for (const char *group : groups)
            parts.append(QString::fromLatin1(group));
        return parts.join(QChar(0x00a0));
    };
    QTest::newRow("en_US currency")
        << us << FieldType::Currency << FieldValue::fromCents(1777594, usd)
        << QStringLiteral("17,775.94") << QStringLiteral("17775.94")
        << FieldValue::fromCents(1777594, usd) << QStringLiteral("17,775.94");
    QTest::newRow("en_US currency typed grouped")
        << us << FieldType::Currency << FieldValue::fromCents(4800000, usd)
        << QStringLiteral("48,000") << QStringLiteral("1,234,567.8")
        << FieldValue::fromCents(123456780, usd) << QStringLiteral("1,234,567.80");
    QTest::newRow("en_US currency exact cents")
        << us << FieldType::Currency << FieldValue::fromCents(1999, usd) << QStringLiteral("19.99")
        << QStringLiteral("70368744177.63") << FieldValue::fromCents(7036874417763, usd)
        << QStringLiteral("70,368,744,177.63");
    QTest::newRow("nb_NO currency")
        << no << FieldType::Currency << FieldValue::fromCents(1777594, usd) << nb({"17", "775,94"})
        << QStringLiteral("17775,94") << FieldValue::fromCents(1777594, usd)
        << nb({"17", "775,94"});
    QTest::newRow("nb_NO currency typed with spaces")
        << no << FieldType::Currency << FieldValue::null(FieldType::Currency) << QString()
        << QStringLiteral("1 234 567,5") << FieldValue::fromCents(123456750, usd)
        << nb({"1", "234", "567,50"});
    QTest::newRow("en_US number") << us << FieldType::Number << FieldValue::fromNumber(17775.94)
                                  << QStringLiteral("17,775.94") << QStringLiteral("1234.5")
                                  << FieldValue::fromNumber(1234.5) << QStringLiteral("1,234.5");
    QTest::newRow("nb_NO number") << no << FieldType::Number << FieldValue::fromNumber(17775.94)
                                  << nb({"17", "775,94"}) << QStringLiteral("-1 234,5")
                                  << FieldValue::fromNumber(-1234.5)
                                  << no.negativeSign() + nb({"1", "234,5"});
}

void TestFieldEditors::amountsShowGroupSeparators()
{
    QFETCH(QLocale, locale);
    QFETCH(FieldType, type);
    QFETCH(FieldValue, initial);
    QFETCH(QString, shown);
    QFETCH(QString, typed);
    QFETCH(FieldValue, expected);
    QFETCH(QString, shownAfterwards);
    QLocale::setDefault(locale);
    auto editor = ::shown(definitionFor(type));
    QLineEdit *edit = lineInput(editor.get());
    QSignalSpy edited(editor.get(), &FieldEditor::edited);

    editor->setValue(initial);
    QCOMPARE(edit->text(), shown);
    QCOMPARE(editor->value(), initial);
    QCOMPARE(edited.count(), 0);

    edit->selectAll();
    QTest::keyClicks(edit, typed);
    QCOMPARE(edited.count(), typed.size()); // one edit per keystroke
    QVERIFY2(editor->isAcceptable(), qPrintable(editor->validationError()));
    QCOMPARE(editor->value(), expected);

    // Leaving the field groups the digits, like a spreadsheet cell; that is no edit.
    edited.clear();
    Q_EMIT edit->editingFinished();
    QCOMPARE(edit->text(), shownAfterwards);
    QCOMPARE(editor->value(), expected);
    QCOMPARE(edited.count(), 0);
}

void TestFieldEditors::multiValueListAddsAndRemoves()
{
    FieldDefinition definition = definitionFor(FieldType::Email);
    definition.setMultipleValues(true);
    auto editor = shown(definition);
    auto *list = qobject_cast<ContactListEditor *>(editor.get());
    editor->setValue(
        FieldValue::fromStringList(FieldType::Email, {QStringLiteral("ana@north.example")}));
    QSignalSpy edited(editor.get(), &FieldEditor::edited);

    QVERIFY(list->addButton());
    QTest::mouseClick(list->addButton(), Qt::LeftButton);
    QCOMPARE(list->lineEdits().size(), 2);
    QCOMPARE(edited.count(), 0); // an empty entry changes no value

    QTest::keyClicks(list->lineEdits().at(1), QStringLiteral("ap@north.example"));
    QCOMPARE(editor->value().toStringList(),
        (QStringList {QStringLiteral("ana@north.example"), QStringLiteral("ap@north.example")}));

    const int before = int(edited.count());
    QTest::mouseClick(list->removeButton(0), Qt::LeftButton);
    QCOMPARE(edited.count(), before + 1);
    QCOMPARE(editor->value().toStringList(), QStringList {QStringLiteral("ap@north.example")});
}

void TestFieldEditors::dateTimeClearSetsNull()
{
    auto editor = shown(definitionFor(FieldType::DateTime));
    auto *dateTime = qobject_cast<DateTimeEditor *>(editor.get());
    QVERIFY(!dateTime->timeZoneText().isEmpty());
    editor->setValue(FieldValue::fromDateTime(utc(2026, 9, 30, 17)));
    QCOMPARE(editor->value().toDateTime(), utc(2026, 9, 30, 17));
    QCOMPARE(editor->value().toDateTime().timeSpec(), Qt::UTC);
    QSignalSpy edited(editor.get(), &FieldEditor::edited);

    QTest::mouseClick(dateTime->clearButton(), Qt::LeftButton);

    QCOMPARE(edited.count(), 1);
    QVERIFY(editor->value().isNull());
    QVERIFY(!dateTime->clearButton()->isEnabled());
    QCOMPARE(dateTime->dateTimeEdit()->text(), dateTime->dateTimeEdit()->specialValueText());

    // Stepping away from "No date" starts from now, not from the 1900 placeholder.
    dateTime->dateTimeEdit()->setCurrentSection(QDateTimeEdit::DaySection);
    QTest::keyClick(dateTime->dateTimeEdit(), Qt::Key_Up);
    QCOMPARE(edited.count(), 2);
    QVERIFY(!editor->value().isNull());
    QVERIFY(editor->value().toDateTime().date().year() >= QDate::currentDate().year() - 1);
    QVERIFY(dateTime->clearButton()->isEnabled());
}

namespace {

FieldDefinition closeDateDefinition()
{
    return FieldDefinition(
        QStringLiteral("closeDate"), FieldType::DateTime, QStringLiteral("Close date"));
}

} // namespace

void TestFieldEditors::emptyDateCalendarOpensAtToday()
{
    auto editor = shown(definitionFor(FieldType::DateTime));
    QVERIFY(QTest::qWaitForWindowExposed(editor.get()));
    editor->setValue(FieldValue::null(FieldType::DateTime));
    QDateTimeEdit *edit = qobject_cast<DateTimeEditor *>(editor.get())->dateTimeEdit();
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    // A click on the arrow opens the calendar popup.
    QTest::mouseClick(edit, Qt::LeftButton, {}, QPoint(edit->width() - 6, edit->height() / 2));
    QCalendarWidget *calendar = edit->calendarWidget();
    QVERIFY(calendar);
    QTRY_VERIFY(calendar->isVisible());
    QCOMPARE(calendar->yearShown(), QDate::currentDate().year());
    QCOMPARE(calendar->monthShown(), QDate::currentDate().month());
    QCOMPARE(edited.count(), 0); // looking is no edit
    QVERIFY(editor->value().isNull());
    calendar->window()->hide();
}

void TestFieldEditors::typingIntoADateSectionSetsIt()
{
    // A date with a value: "15" typed into the day section is the 15th.
    auto editor = shown(closeDateDefinition());
    QVERIFY(QTest::qWaitForWindowExposed(editor.get()));
    QDateTimeEdit *edit = qobject_cast<DateTimeEditor *>(editor.get())->dateTimeEdit();
    editor->setValue(FieldValue::fromDateTime(utc(2026, 9, 30, 0)));
    edit->setFocus();
    edit->setSelectedSection(QDateTimeEdit::DaySection); // as Tab or a double-click selects it
    QTest::keyClicks(edit, QStringLiteral("15"));
    QCOMPARE(editor->value().toDateTime(), utc(2026, 9, 15, 0));

    // An empty date ("No date" shows no sections): typing starts from today, the digits going
    // into the first section, as in an empty date field.
    editor->setValue(FieldValue::null(FieldType::DateTime));
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    const QDate today = QDate::currentDate();
    const bool monthFirst = edit->sectionAt(0) == QDateTimeEdit::MonthSection;
    QTest::keyClicks(edit, monthFirst ? QStringLiteral("3") : QStringLiteral("15"));
    QVERIFY(edited.count() >= 1);
    const QDate typed = editor->value().toDateTime().date();
    QCOMPARE(typed.year(), today.year());
    QCOMPARE(monthFirst ? typed.month() : typed.day(), monthFirst ? 3 : 15);
    QVERIFY(typed.year() > 1901);
}

void TestFieldEditors::emptyDateLetsTabLeave()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    FieldEditor *editor = FieldEditorFactory::create(closeDateDefinition(), &window);
    auto *after = new QLineEdit(&window);
    layout->addWidget(editor);
    layout->addWidget(after);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    editor->setValue(FieldValue::null(FieldType::DateTime));
    QDateTimeEdit *edit = qobject_cast<DateTimeEditor *>(editor)->dateTimeEdit();
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    for (int i = 0; i < 5 && !after->hasFocus(); ++i)
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QVERIFY(after->hasFocus());
    QVERIFY(editor->value().isNull());
}

void TestFieldEditors::dateOnlyValueShowsOnlyTheDate()
{
    auto editor = shown(closeDateDefinition());
    auto *dateTime = qobject_cast<DateTimeEditor *>(editor.get());
    // Midnight UTC is a date (as the table shows it): no time, no time zone.
    editor->setValue(FieldValue::fromDateTime(utc(2026, 9, 30, 0)));
    const QString shown = dateTime->dateTimeEdit()->text();
    QVERIFY2(!shown.contains(QLatin1Char(':')), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("2026")), qPrintable(shown));
    QVERIFY(!dateTime->timeZoneLabel()->isVisibleTo(dateTime));
    QCOMPARE(editor->value().toDateTime(), utc(2026, 9, 30, 0));
    // Stepping the day keeps it a date at midnight UTC.
    dateTime->dateTimeEdit()->setCurrentSection(QDateTimeEdit::DaySection);
    QTest::keyClick(dateTime->dateTimeEdit(), Qt::Key_Down);
    QCOMPARE(editor->value().toDateTime(), utc(2026, 9, 29, 0));

    // A time of day shows the time and the zone.
    editor->setValue(FieldValue::fromDateTime(utc(2026, 9, 30, 17)));
    QVERIFY(dateTime->dateTimeEdit()->text().contains(QLatin1Char(':')));
    QVERIFY(dateTime->timeZoneLabel()->isVisibleTo(dateTime));
}

void TestFieldEditors::markdownPreviewRendersWithoutHtml()
{
    auto editor = shown(definitionFor(FieldType::Markdown));
    auto *markdown = qobject_cast<MarkdownEditor *>(editor.get());
    editor->setValue(FieldValue::fromText(
        FieldType::Markdown, QStringLiteral("## Plan\n\n**bold** <b>tag</b>")));
    QVERIFY(!markdown->isPreviewVisible());
    markdown->setPreviewVisible(true);
    const QString shownText = markdown->preview()->toPlainText();
    QVERIFY2(shownText.contains(QStringLiteral("Plan")), qPrintable(shownText));
    QVERIFY2(!shownText.contains(QStringLiteral("**")), qPrintable(shownText));
    QVERIFY2(!shownText.contains(QStringLiteral("##")), qPrintable(shownText));
    // HTML typed into the Markdown is not interpreted as markup.
    QVERIFY2(shownText.contains(QStringLiteral("<b>tag</b>")), qPrintable(shownText));
    // The source stays plain text.
    QCOMPARE(
        markdown->sourceEdit()->toPlainText(), QStringLiteral("## Plan\n\n**bold** <b>tag</b>"));

    FieldDefinition readOnly = definitionFor(FieldType::Markdown);
    readOnly.setReadOnly(true);
    auto summary = shown(readOnly);
    QVERIFY(qobject_cast<MarkdownEditor *>(summary.get())->isPreviewVisible());
}

void TestFieldEditors::multiSelectFilterHidesOptions()
{
    auto editor = shown(definitionFor(FieldType::MultiSelect));
    auto *multi = qobject_cast<MultiSelectEditor *>(editor.get());
    QCOMPARE(multi->filteredOptions()->rowCount(), 3);
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    QTest::keyClicks(multi->filterEdit(), QStringLiteral("ET"));
    QCOMPARE(multi->filteredOptions()->rowCount(), 1);
    QCOMPARE(multi->filteredOptions()->index(0, 0).data().toString(), QStringLiteral("Beta"));
    QCOMPARE(edited.count(), 0); // filtering is no edit
    multi->listView()->setCurrentIndex(multi->filteredOptions()->index(0, 0));
    QTest::keyClick(multi->listView(), Qt::Key_Space);
    QCOMPARE(edited.count(), 1);
    QCOMPARE(editor->value().toStringList(), QStringList {QStringLiteral("opt_b")});
}

void TestFieldEditors::unknownOptionIdIsKept()
{
    auto single = shown(definitionFor(FieldType::SingleSelect));
    const FieldValue gone
        = FieldValue::fromText(FieldType::SingleSelect, QStringLiteral("opt_gone"));
    single->setValue(gone);
    QCOMPARE(single->value(), gone);
    QVERIFY(qobject_cast<SingleSelectEditor *>(single.get())
                ->comboBox()
                ->currentText()
                .contains(QStringLiteral("opt_gone")));
    // The "None" entry and option descriptions.
    QComboBox *combo = qobject_cast<SingleSelectEditor *>(single.get())->comboBox();
    QCOMPARE(combo->itemData(0).toString(), QString());
    QCOMPARE(combo->itemData(1, Qt::ToolTipRole).toString(), QStringLiteral("First"));

    auto multi = shown(definitionFor(FieldType::MultiSelect));
    const FieldValue mixed = FieldValue::fromStringList(
        FieldType::MultiSelect, {QStringLiteral("opt_c"), QStringLiteral("opt_gone")});
    multi->setValue(mixed);
    QCOMPARE(multi->value(), mixed);
    auto *list = qobject_cast<MultiSelectEditor *>(multi.get());
    list->listView()->setCurrentIndex(list->filteredOptions()->index(0, 0));
    QTest::keyClick(list->listView(), Qt::Key_Space);
    QCOMPARE(multi->value().toStringList(),
        (QStringList {
            QStringLiteral("opt_a"), QStringLiteral("opt_c"), QStringLiteral("opt_gone")}));
}

void TestFieldEditors::requiredSelectOffersNoEmptyChoice()
{
    FieldDefinition definition = definitionFor(FieldType::SingleSelect);
    definition.setRequired(true);
    auto editor = shown(definition);
    QComboBox *combo = qobject_cast<SingleSelectEditor *>(editor.get())->comboBox();
    QCOMPARE(combo->count(), 3); // the options only
    QCOMPARE(combo->findData(QString()), -1);
    QCOMPARE(combo->findText(QStringLiteral("None")), -1);

    // A record with a value: every choice is a value.
    editor->setValue(FieldValue::fromText(FieldType::SingleSelect, QStringLiteral("opt_b")));
    QCOMPARE(combo->currentText(), QStringLiteral("Beta"));

    // No value yet: a placeholder, nothing chosen, and the keyboard reaches the first option.
    editor->setValue(FieldValue::null(FieldType::SingleSelect));
    QCOMPARE(combo->currentIndex(), -1);
    QVERIFY(!combo->placeholderText().isEmpty());
    QVERIFY(editor->value().isNull());
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(edited.count(), 1);
    QCOMPARE(editor->value().toText(), QStringLiteral("opt_a"));

    // An optional select keeps its "None".
    auto optional = shown(definitionFor(FieldType::SingleSelect));
    QCOMPARE(qobject_cast<SingleSelectEditor *>(optional.get())->comboBox()->itemData(0).toString(),
        QString());
}

void TestFieldEditors::socialHandleShowsProfileUrl_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("twitter handle") << QStringLiteral("TWITTER") << QStringLiteral("@ana")
                                    << QStringLiteral("https://x.com/ana");
    QTest::newRow("twitter old url")
        << QStringLiteral("TWITTER") << QStringLiteral("https://twitter.com/ana")
        << QStringLiteral("https://x.com/ana");
    QTest::newRow("linkedin handle") << QStringLiteral("LINKEDIN") << QStringLiteral("ana-ruiz")
                                     << QStringLiteral("https://linkedin.com/in/ana-ruiz");
    QTest::newRow("linkedin company url")
        << QStringLiteral("LINKEDIN")
        << QStringLiteral("https://www.linkedin.com/company/northwind/")
        << QStringLiteral("https://linkedin.com/company/northwind");
    QTest::newRow("facebook") << QStringLiteral("FACEBOOK") << QStringLiteral("ana.ruiz")
                              << QStringLiteral("https://facebook.com/ana.ruiz");
    QTest::newRow("instagram") << QStringLiteral("INSTAGRAM") << QStringLiteral("ana_r")
                               << QStringLiteral("https://instagram.com/ana_r");
    QTest::newRow("no service") << QString() << QStringLiteral("https://mastodon.example/@ana")
                                << QStringLiteral("https://mastodon.example/@ana");
}

void TestFieldEditors::socialHandleShowsProfileUrl()
{
    QFETCH(QString, service);
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    FieldDefinition definition = definitionFor(FieldType::SocialHandle);
    definition.setHandleService(service);
    auto editor = shown(definition);
    auto *social = qobject_cast<SocialHandleEditor *>(editor.get());
    QTest::keyClicks(social->lineEdit(), typed);
    QVERIFY2(editor->isAcceptable(), qPrintable(editor->validationError()));
    QCOMPARE(editor->value().toText(), expected);
    QCOMPARE(social->profileUrlText(), expected);

    // Set back in code, the edit shows the handle and the value is kept as is.
    editor->setValue(FieldValue::fromText(FieldType::SocialHandle, expected));
    QCOMPARE(editor->value().toText(), expected);
    if (!service.isEmpty())
        QVERIFY(!social->lineEdit()->text().startsWith(QStringLiteral("https://")));
}

void TestFieldEditors::unknownTypeShowsRawJsonReadOnly()
{
    FieldDefinition definition = FieldDefinition::fromJson(QStringLiteral("geo"),
        QJsonObject {{QStringLiteral("valueType"), QStringLiteral("GEO_POINT")},
            {QStringLiteral("label"), QStringLiteral("Location")}});
    QCOMPARE(definition.type(), FieldType::Unknown);
    auto editor = shown(definition);
    auto *raw = qobject_cast<RawValueEditor *>(editor.get());
    QVERIFY(raw);
    const FieldValue value
        = FieldValue::raw(QJsonObject {{QStringLiteral("lat"), 1}, {QStringLiteral("lng"), 2.5}},
            FieldType::Unknown, FieldValue::Problem::UnknownType, QStringLiteral("GEO_POINT"));
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    editor->setValue(value);
    QCOMPARE(raw->displayText(), QStringLiteral("{\"lat\":1,\"lng\":2.5}"));
    QCOMPARE(editor->value(), value);
    QVERIFY(editor->isReadOnly());
    editor->setReadOnly(false);
    QVERIFY(editor->isReadOnly());
    QTest::keyClicks(lineInput(editor.get()), QStringLiteral("x"));
    QCOMPARE(raw->displayText(), QStringLiteral("{\"lat\":1,\"lng\":2.5}"));
    QCOMPARE(edited.count(), 0);
}

void TestFieldEditors::rawValueOnTypedEditorIsReadOnly()
{
    auto editor = shown(definitionFor(FieldType::Number));
    const FieldValue raw = FieldValue::raw(QJsonValue(QStringLiteral("twelve")), FieldType::Number,
        FieldValue::Problem::WrongJsonShape, QStringLiteral("NUMBER"));
    editor->setValue(raw);
    QVERIFY(editor->isReadOnly());
    QVERIFY(editor->isAcceptable());
    QCOMPARE(editor->value(), raw);
    auto *display = qobject_cast<QLineEdit *>(editor->focusTarget());
    QVERIFY(display);
    QCOMPARE(display->text(), QStringLiteral("\"twelve\""));
    QVERIFY(display->isReadOnly());

    // A typed value afterwards makes it editable again.
    editor->setValue(FieldValue::fromNumber(4));
    QVERIFY(!editor->isReadOnly());
    QSignalSpy edited(editor.get(), &FieldEditor::edited);
    performUserEdit(editor.get());
    QCOMPARE(edited.count(), 1);
    QCOMPARE(editor->value(), FieldValue::fromNumber(42));
}

void TestFieldEditors::namesFollowTheDefinition()
{
    const QList<FieldType> types = knownFieldTypes();
    for (FieldType type : types) {
        FieldDefinition definition = definitionFor(type);
        definition.setDescription(QStringLiteral("Help text"));
        std::unique_ptr<FieldEditor> editor(FieldEditorFactory::create(definition));
        QCOMPARE(editor->objectName(), definition.key());
        QCOMPARE(editor->accessibleName(), definition.label());
        QVERIFY2(editor->focusTarget(), qPrintable(fieldTypeName(type)));
        QVERIFY2(editor->focusTarget()->accessibleName().contains(definition.label()),
            qPrintable(fieldTypeName(type)));
    }
}

QTEST_MAIN(TestFieldEditors)
#include "tst_fieldeditors.moc"
