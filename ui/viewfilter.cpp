#include "viewfilter.h"

#include "core/timeutil.h"

#include <QDateTime>
#include <QObject>

namespace tl {

int64_t todayUtc()
{
    return dayOf(QDateTime::currentMSecsSinceEpoch());
}

std::pair<std::optional<int64_t>, std::optional<int64_t>> ViewFilter::days(int64_t today) const
{
    switch (range) {
    case Range::All:
        return {std::nullopt, std::nullopt};
    case Range::Today:
        return {today, today};
    case Range::Last7:
        return {today - 6, today};
    case Range::Last30:
        return {today - 29, today};
    case Range::ThisMonth:
        return {monthStartDay(today), today};
    case Range::LastMonth: {
        const int64_t first = monthStartDay(today);
        return {monthStartDay(first - 1), first - 1};
    }
    case Range::Custom:
        return {customFrom, customTo};
    }
    return {std::nullopt, std::nullopt};
}

CallFilter ViewFilter::callFilter(int64_t today) const
{
    CallFilter f;
    auto [from, to] = days(today);
    f.fromDay = from;
    f.toDay = to;
    f.include = include;
    return f;
}

CallFilter ViewFilter::callFilter() const
{
    return callFilter(todayUtc());
}

QVariantMap ViewFilter::toVariant() const
{
    QVariantMap v;
    v[QStringLiteral("range")] = int(range);
    v[QStringLiteral("from")] = qlonglong(customFrom);
    v[QStringLiteral("to")] = qlonglong(customTo);
    v[QStringLiteral("granularity")] = int(granularity);
    QVariantMap inc;
    for (const auto &[d, names] : include) {
        QStringList l;
        for (const auto &n : names)
            l << QString::fromStdString(n);
        inc[QString::fromUtf8(dimensionName(d))] = l;
    }
    v[QStringLiteral("include")] = inc;
    return v;
}

ViewFilter ViewFilter::fromVariant(const QVariantMap &v)
{
    ViewFilter f;
    const int r = v.value(QStringLiteral("range"), 0).toInt();
    if (r >= 0 && r <= int(Range::Custom))
        f.range = Range(r);
    f.customFrom = v.value(QStringLiteral("from")).toLongLong();
    f.customTo = v.value(QStringLiteral("to")).toLongLong();
    const int g = v.value(QStringLiteral("granularity"), int(TimeBucket::Day)).toInt();
    if (g >= int(TimeBucket::Hour) && g <= int(TimeBucket::Month))
        f.granularity = TimeBucket(g);
    const QVariantMap inc = v.value(QStringLiteral("include")).toMap();
    for (auto it = inc.begin(); it != inc.end(); ++it) {
        auto d = dimensionFromName(it.key().toStdString());
        if (!d)
            continue;
        for (const QString &n : it.value().toStringList())
            f.include[*d].push_back(n.toStdString());
    }
    return f;
}

bool ViewFilter::operator==(const ViewFilter &o) const
{
    return range == o.range && customFrom == o.customFrom && customTo == o.customTo &&
           granularity == o.granularity && include == o.include;
}

QString ViewFilter::rangeName(Range r)
{
    switch (r) {
    case Range::All:
        return QObject::tr("All data");
    case Range::Today:
        return QObject::tr("Today");
    case Range::Last7:
        return QObject::tr("Last 7 days");
    case Range::Last30:
        return QObject::tr("Last 30 days");
    case Range::ThisMonth:
        return QObject::tr("This month");
    case Range::LastMonth:
        return QObject::tr("Last month");
    case Range::Custom:
        return QObject::tr("Custom");
    }
    return {};
}

QString ViewFilter::granularityName(TimeBucket b)
{
    switch (b) {
    case TimeBucket::Hour:
        return QObject::tr("Hour");
    case TimeBucket::Week:
        return QObject::tr("Week");
    case TimeBucket::Month:
        return QObject::tr("Month");
    default:
        return QObject::tr("Day");
    }
}

} // namespace tl
