#pragma once

// How a report's cells are written, for every section: the PDF's display
// form and the CSV's plain form. One place, so the sections cannot differ.

#include "core/timeutil.h"
#include "query/summaryquery.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace tl::reportcells {

inline std::string count(int64_t v)
{
    if (v >= 0)
        return groupThousands(std::to_string(v));
    std::string s = "-"; // appended, not "-" + s: GCC 12's false -Wrestrict
    s += groupThousands(std::to_string(-v));
    return s;
}

// Like formatUsd, but an amount under half a cent keeps four places: a
// day of a few cheap calls must not read "$0.00".
inline std::string money(int64_t nusd)
{
    return nusd != 0 && nusd > -5'000'000 && nusd < 5'000'000 ? formatUsd(nusd, 4)
                                                              : formatUsd(nusd);
}

// One decimal, but a small non-zero share keeps two significant digits:
// one task of thousands must not read "0.0%".
inline std::string percent(double f)
{
    char buf[32];
    if (f != 0 && std::fabs(f) < 0.001)
        std::snprintf(buf, sizeof buf, "%.2g%%", f * 100.0);
    else
        std::snprintf(buf, sizeof buf, "%.1f%%", f * 100.0);
    return buf;
}

// "+$1.50" / "-$1.50", "+12.5%" / "-3.0%": a change reads with its sign.
// (Appended, not "+" + s: GCC 12's false -Wrestrict.)
inline std::string signedMoney(int64_t nusd)
{
    std::string s = nusd >= 0 ? "+" : "";
    s += money(nusd);
    return s;
}

inline std::string signedPercent(double f)
{
    std::string s = f >= 0 ? "+" : "";
    s += percent(f);
    return s;
}

// "2026-10-12 14:03": a moment to the minute, for a table cell.
inline std::string minute(int64_t ms)
{
    return formatTimestamp(ms).substr(0, 16).replace(10, 1, " ");
}

inline std::string plainRatio(double f)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", f);
    return buf;
}

} // namespace tl::reportcells
