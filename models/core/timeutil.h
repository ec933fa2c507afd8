#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tl {

inline constexpr int64_t kMsPerHour = 3'600'000;
inline constexpr int64_t kMsPerDay = 86'400'000;

// Floor division, so that times before 1970 land in the right bucket.
inline int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// a - b * floorDiv(a, b): in [0, b) for b > 0, also for a < 0.
inline int64_t floorMod(int64_t a, int64_t b)
{
    return a - b * floorDiv(a, b);
}
inline int64_t dayOf(int64_t tsMs)
{
    return floorDiv(tsMs, kMsPerDay);
}
inline int64_t hourOf(int64_t tsMs)
{
    return floorDiv(tsMs, kMsPerHour);
}
// Monday that starts the ISO week holding `day` (1970-01-01 was a Thursday).
inline int64_t weekStartDay(int64_t day)
{
    return day - ((day % 7 + 7 + 3) % 7);
}

int64_t daysFromCivil(int y, unsigned m, unsigned d);
void civilFromDays(int64_t z, int &y, unsigned &m, unsigned &d);
// First day of the month holding `day`.
int64_t monthStartDay(int64_t day);

// Parses a log timestamp: ISO 8601 with `Z` or a ±hh:mm / ±hhmm offset and
// optional fraction, or a bare number of epoch seconds or milliseconds.
// On failure returns nullopt and, when asked, why.
std::optional<int64_t> parseTimestamp(std::string_view text, std::string *why = nullptr);
// Epoch seconds (< 1e11) or milliseconds (>= 1e11) as a JSON/CSV number.
int64_t epochNumberToMs(double value);
// YYYY-MM-DD -> day number.
std::optional<int64_t> parseDate(std::string_view text);

std::string formatDate(int64_t day);       // 2026-11-28
std::string formatTimestamp(int64_t tsMs); // 2026-11-28T10:00:00.000Z
std::string formatHour(int64_t hour);      // 2026-11-28T10:00Z
std::string formatMonth(int64_t day);      // 2026-11

} // namespace tl
