#pragma once

#include "query/summaryquery.h"

#include <QVariantMap>

namespace tl {

// What the filter bar holds: a date range (a preset relative to today, or
// custom days), a granularity, and the names kept per dimension. Every
// view reads it as a CallFilter.
struct ViewFilter
{
    enum class Range { All, Today, Last7, Last30, ThisMonth, LastMonth, Custom };

    Range range = Range::All;
    int64_t customFrom = 0, customTo = 0; // days, inclusive (Custom only)
    TimeBucket granularity = TimeBucket::Day;
    std::map<Dimension, std::vector<std::string>> include;

    // Inclusive days of the range as of `today` (nullopt ends for All).
    std::pair<std::optional<int64_t>, std::optional<int64_t>> days(int64_t today) const;
    CallFilter callFilter(int64_t today) const;
    CallFilter callFilter() const; // as of the current UTC day

    QVariantMap toVariant() const;
    static ViewFilter fromVariant(const QVariantMap &v);
    bool operator==(const ViewFilter &o) const;

    static QString rangeName(Range r);
    static QString granularityName(TimeBucket b);
};

int64_t todayUtc();

} // namespace tl
