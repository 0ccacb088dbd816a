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
    /**
     * `$stage` options: the pipeline (`pd_…`) the stage belongs to, empty when the definitions
     * name none (one pipeline, or a stage every pipeline shares). Sent as the option's own
     * `pipelineId`, or taken from `parentId` when `$stage` depends on `$pipeline`
     * (ObjectSchema fills it in either way; docs/decisions/0006).
     */
    QString pipelineId;
    /** `$stage` options: that pipeline's name (the `$pipeline` option's label), or empty. */
    QString pipelineLabel;

    friend bool operator==(const SelectOption &, const SelectOption &) = default;
};
