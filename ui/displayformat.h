#pragma once

#include <QString>

#include <cstdint>

namespace tl {

// How the app writes numbers: money with a $ and thousands separators,
// counts grouped, big counts compact. Rounding happens here and nowhere else.
struct DisplayFormat
{
    static QString money(int64_t nusd, int decimals = 2);
    static QString count(int64_t n);
    // A simulated amount (the engine works in double dollars).
    static QString usd(double usd, int decimals = 2);
    static QString compact(int64_t n); // 1.23M, 45.6k
    static QString percent(double fraction, int decimals = 1);
    static QString signedPercent(double fraction);
    // "2026-11-28 10:00:17" (UTC, to the second): ISO with its T, Z and
    // milliseconds is a third wider, and the headers say UTC.
    static QString time(int64_t tsMs);
    // The one wording, everywhere, for a change that cannot be given.
    static QString noComparison();
    // "7,751 ms": durations grouped like every other count.
    static QString millis(double ms);
    // "+12.3% vs previous", or noComparison() when the previous is 0.
    static QString change(int64_t now, int64_t before);
};

} // namespace tl
