#include "domain/cardinality.h"

Cardinality cardinalityFromName(QStringView name)
{
    QString folded;
    folded.reserve(name.size());
    for (const QChar c : name) {
        if (c.isLetter())
            folded.append(c.toLower());
    }
    if (folded == QLatin1String("hasone"))
        return Cardinality::HasOne;
    if (folded == QLatin1String("hasmany"))
        return Cardinality::HasMany;
    return Cardinality::Unknown;
}

QString cardinalityName(Cardinality cardinality)
{
    switch (cardinality) {
    case Cardinality::HasOne:
        return QStringLiteral("HAS_ONE");
    case Cardinality::HasMany:
        return QStringLiteral("HAS_MANY");
    case Cardinality::Unknown:
        break;
    }
    return {};
}
