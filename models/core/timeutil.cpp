#include "timeutil.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <cstdio>

namespace tl {

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic
// Gregorian arithmetic without time-zone tables or locale.
int64_t daysFromCivil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

void civilFromDays(int64_t z, int &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = int(int64_t(yoe) + era * 400 + (m <= 2));
}

int64_t monthStartDay(int64_t day)
{
    int y;
    unsigned m, d;
    civilFromDays(day, y, m, d);
    return daysFromCivil(y, m, 1);
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int &out)
{
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        char c = s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

std::optional<int64_t> fail(std::string *why, const char *reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

} // namespace

int64_t epochNumberToMs(double value)
{
    // 1e11 seconds is the year 5138, 1e11 ms is 1973: no real log is
    // ambiguous around that line.
    // Past ±1e15 ms (year 33,658) nothing is a time: a value that stays out
    // of range (for validateRecord to refuse) rather than an undefined cast.
    if (!std::isfinite(value) || std::fabs(value) >= 1e15)
        return value < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
    return std::fabs(value) >= 1e11 ? int64_t(std::llround(value))
                                    : int64_t(std::llround(value * 1000.0));
}

std::optional<int64_t> parseTimestamp(std::string_view s, std::string *why)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    if (s.empty())
        return fail(why, "empty timestamp");

    if (s.size() < 10 || s[4] != '-') {
        double v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
            return fail(why, "timestamp is neither ISO 8601 nor epoch seconds/milliseconds");
        return epochNumberToMs(v);
    }

    int Y, M, D, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, Y) || s[4] != '-' || !digits(s, 5, 2, M) || s.size() < 10 || s[7] != '-' ||
        !digits(s, 8, 2, D))
        return fail(why, "timestamp is not ISO 8601 (expected YYYY-MM-DDThh:mm:ssZ)");
    if (M < 1 || M > 12 || D < 1 || D > 31)
        return fail(why, "timestamp has an impossible date");
    size_t pos = 10;
    if (pos == s.size())
        return fail(why, "timestamp has no time of day and no time zone (expected Z or an offset)");
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
        return fail(why, "timestamp is not ISO 8601 (expected 'T' after the date)");
    ++pos;
    if (!digits(s, pos, 2, h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
        !digits(s, pos + 3, 2, mi))
        return fail(why, "timestamp has a malformed time (expected hh:mm[:ss])");
    pos += 5;
    if (pos < s.size() && s[pos] == ':') {
        if (!digits(s, pos + 1, 2, sec))
            return fail(why, "timestamp has malformed seconds");
        pos += 3;
    }
    if (h > 23 || mi > 59 || sec > 60)
        return fail(why, "timestamp has an impossible time of day");
    int64_t ms = 0;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int64_t scale = 100;
        size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            ms += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start)
            return fail(why, "timestamp has an empty fraction");
    }
    int64_t offsetMin = 0;
    if (pos == s.size())
        return fail(why, "timestamp has no time zone (expected Z or an offset such as +02:00)");
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int sign = s[pos] == '-' ? -1 : 1;
        int oh, om = 0;
        if (!digits(s, pos + 1, 2, oh))
            return fail(why, "timestamp has a malformed offset");
        pos += 3;
        if (pos < s.size() && s[pos] == ':')
            ++pos;
        if (pos < s.size()) {
            if (!digits(s, pos, 2, om))
                return fail(why, "timestamp has a malformed offset");
            pos += 2;
        }
        if (oh > 18 || om > 59)
            return fail(why, "timestamp has an impossible offset");
        offsetMin = sign * (oh * 60 + om);
    } else {
        return fail(why, "timestamp has no time zone (expected Z or an offset such as +02:00)");
    }
    if (pos != s.size())
        return fail(why, "timestamp has trailing characters");
    int64_t days = daysFromCivil(Y, unsigned(M), unsigned(D));
    int y2;
    unsigned m2, d2;
    civilFromDays(days, y2, m2, d2);
    if (int(d2) != D)
        return fail(why, "timestamp has an impossible date");
    return days * kMsPerDay + int64_t(h) * kMsPerHour + mi * 60'000 + sec * 1000 + ms -
           offsetMin * 60'000;
}

std::optional<int64_t> parseDate(std::string_view s)
{
    int Y, M, D;
    if (s.size() != 10 || !digits(s, 0, 4, Y) || s[4] != '-' || !digits(s, 5, 2, M) ||
        s[7] != '-' || !digits(s, 8, 2, D) || M < 1 || M > 12 || D < 1 || D > 31)
        return std::nullopt;
    int64_t days = daysFromCivil(Y, unsigned(M), unsigned(D));
    int y2;
    unsigned m2, d2;
    civilFromDays(days, y2, m2, d2);
    if (int(d2) != D)
        return std::nullopt;
    return days;
}

std::string formatDate(int64_t day)
{
    int y;
    unsigned m, d;
    civilFromDays(day, y, m, d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
}

std::string formatMonth(int64_t day)
{
    return formatDate(day).substr(0, 7);
}

std::string formatHour(int64_t hour)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02dZ", formatDate(floorDiv(hour, 24)).c_str(),
                  int(hour - floorDiv(hour, 24) * 24));
    std::string s = buf;
    return s.substr(0, s.size() - 1) + ":00Z";
}

std::string formatTimestamp(int64_t tsMs)
{
    int64_t day = dayOf(tsMs);
    int64_t rem = tsMs - day * kMsPerDay;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", formatDate(day).c_str(),
                  int(rem / kMsPerHour), int(rem / 60'000 % 60), int(rem / 1000 % 60),
                  int(rem % 1000));
    return buf;
}

} // namespace tl
