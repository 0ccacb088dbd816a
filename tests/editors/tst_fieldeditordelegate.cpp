// FieldEditorDelegate on the deals table: editors from the factory on a real
// OpportunityTableModel in a QTableView; Enter commits and moves down, Tab moves right, Esc
// cancels, invalid input is never committed, setData() is never called.

#include "domain/objectschema.h"
#include "domain/record.h"
#include "editors/fieldeditordelegate.h"
#include "editors/texteditor.h"
#include "itemmodels/opportunityroles.h"
#include "itemmodels/opportunitytablemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace OpportunityRoles;

namespace {

ObjectSchema schema()
{
    ObjectSchema schema(QStringLiteral("opportunity"));
    schema.addField(
        FieldDefinition(QStringLiteral("$name"), FieldType::Text, QStringLiteral("Name")));
    FieldDefinition amount(
        QStringLiteral("$amount"), FieldType::Currency, QStringLiteral("Amount"));
    amount.setCurrency(QStringLiteral("USD"));
    schema.addField(amount);
    FieldDefinition summary(
        QStringLiteral("$summary"), FieldType::Markdown, QStringLiteral("Summary"));
    summary.setReadOnly(true);
    schema.addField(summary);
    schema.addRelationship(RelationshipDefinition(QStringLiteral("$account"), Cardinality::HasOne,
        QStringLiteral("account"), QStringLiteral("Account")));
    return schema;
}

Record record(const QString &id, const QString &name, qint64 cents)
{
    Record record(id);
    record.setValue(QStringLiteral("$name"), FieldValue::fromText(FieldType::Text, name));
    record.setValue(QStringLiteral("$amount"), FieldValue::fromCents(cents, QStringLiteral("USD")));
    record.setValue(QStringLiteral("$summary"),
        FieldValue::fromText(FieldType::Markdown, QStringLiteral("AI summary")));
    return record;
}

/** A QTableView that tells whether an editor is open (state() is protected). */
class TableView final : public QTableView
{
public:
    bool isEditing() const { return state() == EditingState; }
};

} // namespace

class TestFieldEditorDelegate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void enterCommitsTypedValueAndMovesDown();
    void escapeCancels();
    void tabCommitsAndMovesRight();
    void invalidInputKeepsTheEditorOpen();
    void unchangedValueCommitsNothing();
    void readOnlyAndRelationshipColumnsAreNotEditable();
    void syncUpdateDoesNotOverwriteTyping();
    void movingToAnotherCellCommitsOnce();

private:
    QModelIndex cell(int row, const QString &key) const;
    FieldEditor *openEditor(const QModelIndex &index);

    std::unique_ptr<OpportunityTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<TableView> m_view;
    FieldEditorDelegate *m_delegate = nullptr;
};

void TestFieldEditorDelegate::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestFieldEditorDelegate::init()
{
    // A commit or close of an editor the view already released means a double commit.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("does not belong to this view")));
    m_model = std::make_unique<OpportunityTableModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setSchema(schema());
    m_model->upsertRecords({record(QStringLiteral("opp_1"), QStringLiteral("Northwind"), 4800000),
        record(QStringLiteral("opp_2"), QStringLiteral("Contoso"), 120000),
        record(QStringLiteral("opp_3"), QStringLiteral("Fabrikam"), 99)});
    m_view = std::make_unique<TableView>();
    m_delegate = new FieldEditorDelegate(m_view.get());
    m_view->setItemDelegate(m_delegate);
    m_view->setModel(m_model.get());
    m_view->resize(900, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestFieldEditorDelegate::cleanup()
{
    m_view.reset();
    m_tester.reset();
    m_model.reset();
}

QModelIndex TestFieldEditorDelegate::cell(int row, const QString &key) const
{
    return m_model->index(row, m_model->columnForKey(key));
}

FieldEditor *TestFieldEditorDelegate::openEditor(const QModelIndex &index)
{
    m_view->setCurrentIndex(index);
    m_view->edit(index);
    auto *editor = m_view->viewport()->findChild<FieldEditor *>();
    if (editor)
        editor->focusTarget()->setFocus();
    return editor;
}

void TestFieldEditorDelegate::enterCommitsTypedValueAndMovesDown()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    const QModelIndex index = cell(0, QStringLiteral("$amount"));
    FieldEditor *editor = openEditor(index);
    QVERIFY(editor);
    QVERIFY(m_view->isEditing());
    QCOMPARE(editor->value(), FieldValue::fromCents(4800000, QStringLiteral("USD")));
    auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("52,000.50"));
    QTest::keyClick(edit, Qt::Key_Return);

    QCOMPARE(committed.count(), 1);
    QCOMPARE(committed.at(0).at(0).toString(), QStringLiteral("opp_1"));
    QCOMPARE(committed.at(0).at(1).toString(), QStringLiteral("$amount"));
    QCOMPARE(committed.at(0).at(2).value<FieldValue>(),
        FieldValue::fromCents(5200050, QStringLiteral("USD")));
    QCOMPARE(m_view->currentIndex(), cell(1, QStringLiteral("$amount")));
    QTRY_COMPARE(m_view->viewport()->findChild<FieldEditor *>(), nullptr);
    QVERIFY(!m_view->isEditing());
    // The model is untouched: the app applies the edit through the outbox.
    QCOMPARE(index.data(RawValueRole).value<FieldValue>().toCents(), qint64(4800000));
}

void TestFieldEditorDelegate::escapeCancels()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    const QModelIndex index = cell(1, QStringLiteral("$name"));
    FieldEditor *editor = openEditor(index);
    QVERIFY(editor);
    auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
    edit->end(false);
    QTest::keyClicks(edit, QStringLiteral(" Ltd"));
    QTest::keyClick(edit, Qt::Key_Escape);

    QTRY_COMPARE(m_view->viewport()->findChild<FieldEditor *>(), nullptr);
    QCOMPARE(committed.count(), 0);
    QCOMPARE(m_view->currentIndex(), index);
    // Closing the editor by moving elsewhere afterwards commits nothing either.
    m_view->setCurrentIndex(cell(2, QStringLiteral("$name")));
    QCOMPARE(committed.count(), 0);
}

void TestFieldEditorDelegate::tabCommitsAndMovesRight()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    // Only Name and Amount shown, in that order: Tab moves from one to the other.
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const QString key = m_model->headerData(column, Qt::Horizontal, ColumnKeyRole).toString();
        m_view->setColumnHidden(
            column, key != QLatin1String("$name") && key != QLatin1String("$amount"));
    }
    const QModelIndex index = cell(0, QStringLiteral("$name"));
    const QModelIndex right = cell(0, QStringLiteral("$amount"));
    const QString rightKey = QStringLiteral("$amount");
    QVERIFY(index.column() < right.column());
    FieldEditor *editor = openEditor(index);
    QVERIFY(editor);
    auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
    edit->end(false); // the view selects the text when the editor opens
    QTest::keyClicks(edit, QStringLiteral(" renewal"));
    QTest::keyClick(edit, Qt::Key_Tab);

    QCOMPARE(committed.count(), 1);
    QCOMPARE(committed.at(0).at(2).value<FieldValue>(),
        FieldValue::fromText(FieldType::Text, QStringLiteral("Northwind renewal")));
    QCOMPARE(m_view->currentIndex(), right);
    // The next editable cell opens, as in a spreadsheet.
    QTRY_VERIFY(m_view->viewport()->findChild<FieldEditor *>() != nullptr
        && m_view->viewport()->findChild<FieldEditor *>()->definition().key() == rightKey);
    QCOMPARE(committed.count(), 1);
}

void TestFieldEditorDelegate::invalidInputKeepsTheEditorOpen()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    QSignalSpy rejected(m_delegate, &FieldEditorDelegate::inputRejected);
    const QModelIndex index = cell(2, QStringLiteral("$amount"));
    FieldEditor *editor = openEditor(index);
    QVERIFY(editor);
    auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("12.345"));
    QTest::keyClick(edit, Qt::Key_Return);

    QCOMPARE(committed.count(), 0);
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(0).toString(), QStringLiteral("$amount"));
    QVERIFY(!rejected.at(0).at(1).toString().isEmpty());
    QVERIFY(m_view->isEditing());
    QCOMPARE(m_view->viewport()->findChild<FieldEditor *>(), editor);
    QCOMPARE(m_view->currentIndex(), index);

    QTest::keyClick(edit, Qt::Key_Tab);
    QCOMPARE(committed.count(), 0);
    QCOMPARE(rejected.count(), 2);

    // Fixed, it commits.
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(committed.count(), 1);
    QCOMPARE(committed.at(0).at(2).value<FieldValue>().toCents(), qint64(1234));
}

void TestFieldEditorDelegate::unchangedValueCommitsNothing()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    FieldEditor *editor = openEditor(cell(0, QStringLiteral("$name")));
    QVERIFY(editor);
    QTest::keyClick(editor->focusTarget(), Qt::Key_Return);
    QCOMPARE(committed.count(), 0);
    QCOMPARE(m_view->currentIndex(), cell(1, QStringLiteral("$name")));
}

void TestFieldEditorDelegate::readOnlyAndRelationshipColumnsAreNotEditable()
{
    const QModelIndex summary = cell(0, QStringLiteral("$summary"));
    const QModelIndex account = cell(0, QStringLiteral("$account"));
    QVERIFY(summary.isValid());
    QVERIFY(account.isValid());
    QVERIFY(!FieldEditorDelegate::isEditable(summary));
    QVERIFY(!FieldEditorDelegate::isEditable(account));
    QVERIFY(FieldEditorDelegate::isEditable(cell(0, QStringLiteral("$name"))));
    QVERIFY(!(m_model->flags(summary) & Qt::ItemIsEditable));
    QVERIFY(!(m_model->flags(account) & Qt::ItemIsEditable));
    QVERIFY(m_model->flags(cell(0, QStringLiteral("$name"))) & Qt::ItemIsEditable);
    QTest::ignoreMessage(QtWarningMsg, "edit: editing failed");
    QCOMPARE(openEditor(summary), nullptr);
    QTest::ignoreMessage(QtWarningMsg, "edit: editing failed");
    QCOMPARE(openEditor(account), nullptr);
    QVERIFY(!m_view->isEditing());
}

void TestFieldEditorDelegate::syncUpdateDoesNotOverwriteTyping()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    FieldEditor *editor = openEditor(cell(0, QStringLiteral("$name")));
    QVERIFY(editor);
    auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
    edit->end(false);
    QTest::keyClicks(edit, QStringLiteral(" EU"));
    // A sync page changes the same row while the rep types.
    m_model->upsertRecords(
        {record(QStringLiteral("opp_1"), QStringLiteral("Northwind Inc"), 4800000)});
    QCOMPARE(edit->text(), QStringLiteral("Northwind EU"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(committed.count(), 1);
    QCOMPARE(committed.at(0).at(2).value<FieldValue>().toText(), QStringLiteral("Northwind EU"));
}

void TestFieldEditorDelegate::movingToAnotherCellCommitsOnce()
{
    QSignalSpy committed(m_delegate, &FieldEditorDelegate::valueCommitted);
    FieldEditor *editor = openEditor(cell(1, QStringLiteral("$name")));
    QVERIFY(editor);
    auto *edit = qobject_cast<QLineEdit *>(editor->focusTarget());
    QVERIFY(edit->hasFocus() || !QApplication::focusWidget());
    edit->end(false);
    QTest::keyClicks(edit, QStringLiteral(" GmbH"));
    // Clicking another cell: the view commits and closes the editor.
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {},
        m_view->visualRect(cell(2, QStringLiteral("$amount"))).center());
    QCOMPARE(committed.count(), 1);
    QCOMPARE(committed.at(0).at(0).toString(), QStringLiteral("opp_2"));
    QCOMPARE(committed.at(0).at(2).value<FieldValue>().toText(), QStringLiteral("Contoso GmbH"));
    QTRY_COMPARE(m_view->viewport()->findChild<FieldEditor *>(), nullptr);
    QCOMPARE(committed.count(), 1);
}

QTEST_MAIN(TestFieldEditorDelegate)
#include "tst_fieldeditordelegate.moc"
