// ValueParser::parseField(): the `KEY=VALUE` of `lightfield-deals edit` / `create`, for the
// fields of the opportunity schema.
//
// Input: `<field key>=<value text>` (everything after the first '='; inputs whose key is not a
// field of the schema are skipped).
//
// Properties:
//  - a value or an error, never neither: the error is a sentence that names the field;
//  - a value is never raw, has the field's type (or is null) and is accepted by
//    ChangeSet::setValue() when the field is writable — what the command line queues, the
//    outbox takes;
//  - the value survives the wire: its write shape, as compact JSON text, reads back equal;
//  - the value means what was typed: a NUMBER or CURRENCY has the typed hundredths, a TEXT or
//    MARKDOWN is the text as given;
//  - the value written back as command-line text parses to the same value (so `export` and
//    `edit` agree on every value the parser can produce).

#include "domain/changeset.h"
#include "domain/json.h"
#include "export/plainvalues.h"
#include "export/valueparser.h"
#include "fuzzsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <optional>

namespace {

/** The hundredths of a decimal as the parser documents it: sign, digits, at most 2 decimals. */
std::optional<qint64> typedHundredths(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^([-+]?)(\\d{1,15})(?:\\.(\\d{0,2}))?$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    QString fraction = match.captured(3);
    while (fraction.size() < 2)
        fraction.append(QLatin1Char('0'));
    const qint64 value = match.captured(2).toLongLong() * 100 + fraction.toLongLong();
    return match.captured(1) == QLatin1String("-") ? -value : value;
}

/** The hundredths of a number as the app writes it (shortest exact decimal). */
std::optional<qint64> writtenHundredths(double number)
{
    return typedHundredths(QString::number(number, 'f', QLocale::FloatingPointShortest));
}

QString jsonArray(const QStringList &items)
{
    return QString::fromUtf8(Json::compact(QJsonArray::fromStringList(items)));
}

/** `value` as command-line text that the parser reads back as the same value. */
QString commandLineText(const FieldValue &value)
{
    if (value.isNull())
        return {};
    switch (value.type()) {
    case FieldType::Text:
    case FieldType::Markdown:
    case FieldType::SocialHandle:
    case FieldType::SingleSelect:
        return value.toText();
    case FieldType::Number:
        return QString::number(value.toDouble(), 'f', QLocale::FloatingPointShortest);
    case FieldType::Currency:
        return PlainValues::centsText(value.toCents());
    case FieldType::Checkbox:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case FieldType::DateTime:
        return PlainValues::isoUtc(value.toDateTime());
    case FieldType::Email:
    case FieldType::Telephone:
    case FieldType::Url:
    case FieldType::MultiSelect:
        return jsonArray(value.toStringList());
    case FieldType::Address:
        return QString::fromUtf8(Json::compact(value.toAddress().toJson()));
    case FieldType::FullName:
        return QString::fromUtf8(Json::compact(value.toFullName().toJson()));
    case FieldType::Unknown:
        break;
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(FuzzSupport::bytes(data, size));
    const qsizetype equals = input.indexOf(QLatin1Char('='));
    if (equals < 0)
        return -1;
    const FieldDefinition *definition = FuzzSupport::schema().field(input.left(equals));
    if (!definition)
        return -1;
    const QString text = input.mid(equals + 1);
    const QString context = QStringLiteral("%1 (%2) = \"%3\"")
                                .arg(definition->key(), fieldTypeName(definition->type()), text);

    QString error;
    const std::optional<FieldValue> parsed = ValueParser::parseField(*definition, text, &error);
    if (!parsed) {
        CHECK_MSG(!error.trimmed().isEmpty(), context);
        CHECK_MSG(error.contains(definition->key()), context + QStringLiteral(": ") + error);
        return 0;
    }
    const FieldValue value = *parsed;
    const QString described = context + QStringLiteral(" → ") + value.debugString();
    CHECK_MSG(!value.isRaw(), described);
    CHECK_MSG(value.isNull() || value.type() == definition->type(), described);
    if (definition->isWritable()) {
        ChangeSet changes;
        CHECK_MSG(changes.setValue(*definition, value), described);
    }

    // The wire: the write shape as the text that is sent.
    const QJsonValue written = value.toJson(*definition);
    const QByteArray sent = Json::compact(QJsonObject {{QStringLiteral("v"), written}});
    const FieldValue received = FieldValue::fromJson(
        *definition, QJsonDocument::fromJson(sent).object().value(QLatin1String("v")));
    CHECK_MSG(received == value,
        described
            + QStringLiteral(" sent as %1, read back %2")
                  .arg(QString::fromUtf8(sent), received.debugString()));

    // What was typed.
    if (!value.isNull()) {
        switch (definition->type()) {
        case FieldType::Number:
            CHECK_MSG(writtenHundredths(value.toDouble()) == typedHundredths(text), described);
            break;
        case FieldType::Currency:
            CHECK_MSG(std::optional<qint64>(value.toCents()) == typedHundredths(text), described);
            break;
        case FieldType::Text:
        case FieldType::Markdown:
            CHECK_MSG(value.toText() == text, described);
            break;
        default:
            break;
        }
    }

    // Back to command-line text and parsed again.
    const QString again = commandLineText(value);
    QString againError;
    const std::optional<FieldValue> reparsed
        = ValueParser::parseField(*definition, again, &againError);
    CHECK_MSG(reparsed.has_value(),
        described + QStringLiteral(" written as \"%1\": %2").arg(again, againError));
    CHECK_MSG(*reparsed == value,
        described
            + QStringLiteral(" written as \"%1\" reads %2").arg(again, reparsed->debugString()));

    for (const QString &item : ValueParser::splitList(text))
        CHECK_MSG(!item.isEmpty() && item == item.trimmed(), context);
    return 0;
}
