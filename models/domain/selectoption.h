#pragma once

#include <QString>

/**
 * One option of a SINGLE_SELECT / MULTI_SELECT field (`typeConfiguration.options[]`).
 * Options are per organisation: never hard-code an `opt_…` id.
 */
struct SelectOption
{
    QString id; ///< "opt_…" (or "pd_…" for $pipeline); what a value holds
    QString label; ///< display text
    QString description; ///< may be empty
    QString parentId; ///< dependent selects only (plugin), else empty

    friend bool operator==(const SelectOption &, const SelectOption &) = default;
};
