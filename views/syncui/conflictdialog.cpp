#include "syncui/conflictdialog.h"
#include "domain/recordjson.h"
#include "domain/valuetext.h"

#include "store/localstore.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFont>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

namespace {

QString recordNameOf(const QJsonObject &record, const QString &fallback)
{
    const QString name
        = RecordJson::fieldValue(record, QStringLiteral("$name")).toString().trimmed();
    return name.isEmpty() ? fallback : name;
}

QLabel *headerLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

ConflictDialog::ConflictDialog(const ObjectSchema &schema, const OutboxRow &row,
    const QJsonObject &theirs, const QList<Merge::FieldConflict> &conflicts, QWidget *parent)
    : QDialog(parent)
    , m_schema(schema)
    , m_row(row)
    , m_body(QJsonDocument::fromJson(row.body).object())
    , m_theirs(theirs)
    , m_conflicts(conflicts)
{
    setObjectName(QStringLiteral("conflictDialog"));
    // Whatever was reported, every key the resolution will ask about must be on screen.
    const Merge::Result merge = Merge::threeWay(m_body, m_row.baseValues, m_theirs);
    for (const Merge::FieldConflict &conflict : merge.conflicts) {
        const bool shown = std::any_of(m_conflicts.cbegin(), m_conflicts.cend(),
            [&conflict](const Merge::FieldConflict &c) { return c.key == conflict.key; });
        if (!shown)
            m_conflicts.append(conflict);
    }
    m_othersSent = merge.sent;
    const QString name = recordNameOf(m_theirs, m_row.recordId);
    setWindowTitle(tr("Resolve conflict — %1").arg(name));
    buildUi();
    updateButtons();
}

ConflictDialog::~ConflictDialog() = default;

ConflictDialog *ConflictDialog::forRow(const ObjectSchema &schema, Outbox &outbox,
    LocalStore &store, qint64 seq, const QList<Merge::FieldConflict> &conflicts, QWidget *parent)
{
    const std::optional<OutboxRow> row = outbox.row(seq);
    if (!row || row->state != OutboxRow::State::Conflict)
        return nullptr;
    const std::optional<StoredRecord> stored = store.record(row->objectType, row->recordId);
    const QJsonObject theirs
        = stored ? QJsonDocument::fromJson(stored->json).object() : QJsonObject();
    return new ConflictDialog(schema, *row, theirs, conflicts, parent);
}

bool ConflictDialog::applyResult(Outbox &outbox, qint64 seq, const ConflictResolution &resolution)
{
    return ConflictResolution::apply(outbox, seq, resolution);
}

QString ConflictDialog::labelOf(const Merge::FieldConflict &conflict) const
{
    if (conflict.relationship) {
        if (const RelationshipDefinition *definition = m_schema.relationship(conflict.key))
            return definition->label();
    } else if (const FieldDefinition *definition = m_schema.field(conflict.key)) {
        return definition->label();
    }
    return conflict.key;
}

QString ConflictDialog::textOf(const Merge::FieldConflict &conflict, const QJsonValue &value) const
{
    const QString text = conflict.relationship
        ? ValueText::relationship(value)
        : ValueText::field(m_schema.field(conflict.key), value);
    return text.isEmpty() ? tr("(empty)") : text;
}

void ConflictDialog::buildUi()
{
    const QString name = recordNameOf(m_theirs, m_row.recordId);
    auto *intro = new QLabel(tr("Someone else changed “%1” while your changes were waiting to be "
                                "sent. For each field, choose which value to keep.")
                                 .arg(name),
        this);
    intro->setObjectName(QStringLiteral("introLabel"));
    intro->setWordWrap(true);
    auto *serverChange = new QLabel(serverChangeText(m_theirs), this);
    serverChange->setObjectName(QStringLiteral("serverChangeLabel"));
    serverChange->setWordWrap(true);

    auto *table = new QWidget(this);
    auto *grid = new QGridLayout(table);
    grid->addWidget(headerLabel(tr("Field"), table), 0, 0);
    grid->addWidget(headerLabel(tr("Before"), table), 0, 1);
    grid->addWidget(headerLabel(tr("Mine"), table), 0, 2);
    grid->addWidget(headerLabel(tr("Theirs"), table), 0, 3);
    QWidget *previous = nullptr;
    int gridRow = 1;
    for (const Merge::FieldConflict &conflict : std::as_const(m_conflicts)) {
        const QString label = labelOf(conflict);
        auto *fieldLabel = new QLabel(label, table);
        fieldLabel->setObjectName(QStringLiteral("label:") + conflict.key);
        const QString baseText
            = conflict.base.isUndefined() ? tr("(unknown)") : textOf(conflict, conflict.base);
        auto *base = new QLabel(baseText, table);
        base->setObjectName(QStringLiteral("base:") + conflict.key);
        base->setWordWrap(true);
        base->setAccessibleName(tr("%1 before: %2").arg(label, baseText));

        Line line;
        line.key = conflict.key;
        const QString mineText = textOf(conflict, conflict.mine);
        const QString theirsText = textOf(conflict, conflict.theirs);
        line.mine = new QRadioButton(mineText, table);
        line.mine->setObjectName(QStringLiteral("mine:") + conflict.key);
        line.mine->setAccessibleName(tr("Keep my %1: %2").arg(label, mineText));
        line.theirs = new QRadioButton(theirsText, table);
        line.theirs->setObjectName(QStringLiteral("theirs:") + conflict.key);
        line.theirs->setAccessibleName(tr("Take their %1: %2").arg(label, theirsText));
        line.group = new QButtonGroup(this);
        line.group->addButton(line.mine, int(Choice::Mine));
        line.group->addButton(line.theirs, int(Choice::Theirs));
        connect(line.group, &QButtonGroup::idClicked, this, &ConflictDialog::updateButtons);
        fieldLabel->setBuddy(line.mine);

        grid->addWidget(fieldLabel, gridRow, 0);
        grid->addWidget(base, gridRow, 1);
        grid->addWidget(line.mine, gridRow, 2);
        grid->addWidget(line.theirs, gridRow, 3);
        if (previous)
            setTabOrder(previous, line.mine);
        setTabOrder(line.mine, line.theirs);
        previous = line.theirs;
        m_lines.append(line);
        ++gridRow;
    }
    // The choices keep their own width (a click beside a radio's text would miss it); the
    // room left goes to "Before", which wraps.
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(gridRow, 1);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("conflictScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // Values wrap or the dialog is wide enough (below): never a sideways scroll.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(table);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    if (!m_othersSent.isEmpty()) {
        QStringList labels;
        for (const QString &key : std::as_const(m_othersSent)) {
            const FieldDefinition *field = m_schema.field(key);
            const RelationshipDefinition *relationship = m_schema.relationship(key);
            labels << (field ? field->label() : relationship ? relationship->label() : key);
        }
        m_summary->setText(tr("Your other changes (%1) will be sent as they are.")
                               .arg(labels.join(QStringLiteral(", "))));
    }
    m_summary->setVisible(!m_othersSent.isEmpty());

    m_allMine = new QPushButton(tr("All &mine"), this);
    m_allMine->setObjectName(QStringLiteral("allMineButton"));
    m_allMine->setAccessibleName(tr("Keep all my values"));
    m_allTheirs = new QPushButton(tr("All &theirs"), this);
    m_allTheirs->setObjectName(QStringLiteral("allTheirsButton"));
    m_allTheirs->setAccessibleName(tr("Take all their values"));
    connect(m_allMine, &QPushButton::clicked, this, [this] { setAllChoices(Choice::Mine); });
    connect(m_allTheirs, &QPushButton::clicked, this, [this] { setAllChoices(Choice::Theirs); });
    auto *bulk = new QHBoxLayout;
    bulk->addWidget(m_allMine);
    bulk->addWidget(m_allTheirs);
    bulk->addStretch(1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_applyButton = m_buttons->addButton(tr("&Apply"), QDialogButtonBox::AcceptRole);
    m_applyButton->setObjectName(QStringLiteral("applyButton"));
    m_applyButton->setAccessibleName(tr("Apply the choices"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(serverChange);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_summary);
    layout->addLayout(bulk);
    layout->addWidget(m_buttons);
    if (!m_lines.isEmpty())
        m_lines.first().mine->setFocus();

    // A scroll area asks for little room, and a deal's name in "Before" would wrap to a sliver
    // while Mine and Theirs (radio buttons, one line each) scroll sideways: open wide enough
    // for two values side by side and tall enough for a few fields, within the screen.
    ensurePolished(); // the style's fonts and margins, as shown
    const QFontMetrics metrics = fontMetrics();
    const QMargins margins = layout->contentsMargins();
    // (Twice the scroll bar: room for it, and slack for the word-wrapped "Before" column.)
    const int contentWidth = table->minimumSizeHint().width()
        + 2 * scroll->verticalScrollBar()->sizeHint().width() + 2 * scroll->frameWidth()
        + margins.left() + margins.right();
    const QSize wanted(std::max(metrics.averageCharWidth() * 130, contentWidth),
        metrics.height() * (16 + 4 * int(std::min<qsizetype>(m_lines.size(), 6))));
    const QSize room = screen() ? screen()->availableGeometry().size() * 0.9 : wanted;
    resize(wanted.expandedTo(sizeHint()).boundedTo(room));
}

QString ConflictDialog::serverChangeText(const QJsonObject &theirs, const QDateTime &now)
{
    // The read shape carries when the server copy last changed, but not who changed it.
    const QDateTime when = QDateTime::fromString(
        theirs.value(QLatin1String("updatedAt")).toString(), Qt::ISODateWithMs);
    if (!when.isValid())
        return tr("Changed on the server (by a colleague).");
    const QDateTime local = when.toLocalTime();
    const QLocale locale;
    const QString text = local.date() == now.toLocalTime().date()
        ? locale.toString(local.time(), QLocale::ShortFormat)
        : locale.toString(local, QLocale::ShortFormat);
    return tr("Changed on the server at %1 (by a colleague).").arg(text);
}

QStringList ConflictDialog::keys() const
{
    QStringList keys;
    for (const Merge::FieldConflict &conflict : m_conflicts)
        keys << conflict.key;
    return keys;
}

void ConflictDialog::setChoice(const QString &key, Choice choice)
{
    for (const Line &line : std::as_const(m_lines)) {
        if (line.key == key)
            (choice == Choice::Mine ? line.mine : line.theirs)->setChecked(true);
    }
    updateButtons();
}

void ConflictDialog::setAllChoices(Choice choice)
{
    for (const Line &line : std::as_const(m_lines))
        (choice == Choice::Mine ? line.mine : line.theirs)->setChecked(true);
    updateButtons();
}

QHash<QString, ConflictDialog::Choice> ConflictDialog::choices() const
{
    QHash<QString, Choice> choices;
    for (const Line &line : m_lines) {
        if (line.mine->isChecked())
            choices.insert(line.key, Choice::Mine);
        else if (line.theirs->isChecked())
            choices.insert(line.key, Choice::Theirs);
    }
    return choices;
}

bool ConflictDialog::isComplete() const
{
    return std::all_of(m_lines.cbegin(), m_lines.cend(),
        [](const Line &line) { return line.mine->isChecked() || line.theirs->isChecked(); });
}

ConflictResolution ConflictDialog::result() const
{
    return ConflictResolution::resolve(m_body, m_row.baseValues, m_theirs, choices());
}

bool ConflictDialog::apply(Outbox &outbox) const
{
    return applyResult(outbox, m_row.seq, result());
}

void ConflictDialog::updateButtons()
{
    m_applyButton->setEnabled(isComplete());
}
