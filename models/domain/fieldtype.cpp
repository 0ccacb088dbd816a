#include "domain/fieldtype.h"

namespace {

struct TypeName
{
    FieldType type;
    QLatin1String name;
};

// In the order the API documentation lists them.
constexpr TypeName kTypeNames[] = {
    {FieldType::Text, QLatin1String("TEXT")},
    {FieldType::Number, QLatin1String("NUMBER")},
    {FieldType::Checkbox, QLatin1String("CHECKBOX")},
    {FieldType::Currency, QLatin1String("CURRENCY")},
    {FieldType::DateTime, QLatin1String("DATETIME")},
    {FieldType::Email, QLatin1String("EMAIL")},
    {FieldType::Telephone, QLatin1String("TELEPHONE")},
    {FieldType::Url, QLatin1String("URL")},
    {FieldType::Address, QLatin1String("ADDRESS")},
    {FieldType::FullName, QLatin1String("FULL_NAME")},
    {FieldType::SocialHandle, QLatin1String("SOCIAL_HANDLE")},
    {FieldType::SingleSelect, QLatin1String("SINGLE_SELECT")},
    {FieldType::MultiSelect, QLatin1String("MULTI_SELECT")},
    {FieldType::Markdown, QLatin1String("MARKDOWN")},
};

} // namespace

QString fieldTypeName(FieldType type)
{
    for (const TypeName &entry : kTypeNames) {
        if (entry.type == type)
            return entry.name;
    }
    return {};
}

FieldType fieldTypeFromName(QStringView name)
{
    const QStringView trimmed = name.trimmed();
    for (const TypeName &entry : kTypeNames) {
        if (trimmed.compare(entry.name, Qt::CaseInsensitive) == 0)
            return entry.type;
    }
    if (trimmed.compare(QLatin1String("READONLY_MARKDOWN"), Qt::CaseInsensitive) == 0)
        return FieldType::Markdown;
    return FieldType::Unknown;
}

QList<FieldType> knownFieldTypes()
{
    QList<FieldType> types;
    types.reserve(std::size(kTypeNames));
    for (const TypeName &entry : kTypeNames)
        types.append(entry.type);
    return types;
}

bool isStringListType(FieldType type)
{
    return type == FieldType::Email || type == FieldType::Telephone || type == FieldType::Url
        || type == FieldType::MultiSelect;
}

bool isTextType(FieldType type)
{
    return type == FieldType::Text || type == FieldType::Markdown || type == FieldType::SocialHandle
        || type == FieldType::SingleSelect;
}
