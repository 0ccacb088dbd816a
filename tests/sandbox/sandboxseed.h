#pragma once

#include <QtGlobal>

class SandboxStore;

/**
 * Seeded demo data (deterministic: the same seed and counts give the same records, ids and
 * values).
 *
 * Creates members (8), accounts (max(20, opportunities / 5)), contacts (two or three per
 * account), opportunity lists (3: "Q4 focus", "Strategic accounts", "Renewals") plus one
 * account list, and `opportunities` opportunities whose fields cover all 14 value types with
 * realistic names, amounts and dates (spread over the 18 months around the clock's now) and
 * some non-ASCII text (accents, CJK, emoji). Some optional fields are left null.
 * 100,000 opportunities take well under 10 s in a release build.
 */
struct SandboxSeedOptions
{
    quint64 seed = 1;
    int opportunities = 250;
};

void seedSandbox(SandboxStore &store, const SandboxSeedOptions &options);
