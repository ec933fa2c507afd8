#include "displayformat.h"

#include <QObject>

#include "core/timeutil.h"
#include "query/summaryquery.h"

#include <QLocale>

#include <cmath>

namespace tl {

QString DisplayFormat::money(int64_t nusd, int decimals)
{
    // A non-zero amount that rounds to $0.00 is shown with more places, so a
    // cheap call never reads as free.
    if (decimals == 2 && nusd != 0 && std::llabs(nusd) < 5'000'000)
        decimals = 4;
    return QString::fromStdString(formatUsd(nusd, decimals));
}

QString DisplayFormat::usd(double usd, int decimals)
{
    return money(int64_t(std::llround(usd * 1e9)), decimals);
}

QString DisplayFormat::count(int64_t n)
{
    return QLocale().toString(qlonglong(n));
}

QString DisplayFormat::compact(int64_t n)
{
    const double a = std::fabs(double(n));
    QLocale loc;
    if (a >= 1e9)
        return loc.toString(double(n) / 1e9, 'f', 2) + QStringLiteral("B");
    if (a >= 1e6)
        return loc.toString(double(n) / 1e6, 'f', 2) + QStringLiteral("M");
    if (a >= 1e4)
        return loc.toString(double(n) / 1e3, 'f', 1) + QStringLiteral("k");
    return count(n);
}

QString DisplayFormat::time(int64_t tsMs)
{
    QString s = QString::fromStdString(formatTimestamp(tsMs)).left(19);
    s[10] = QLatin1Char(' ');
    return s;
}

QString DisplayFormat::percent(double fraction, int decimals)
{
    return QLocale().toString(fraction * 100.0, 'f', decimals) + QLatin1Char('%');
}

QString DisplayFormat::signedPercent(double fraction)
{
    // No arrow on what rounds to no change at all.
    if (std::fabs(fraction) < 0.0005)
        return percent(0.0);
    return (fraction > 0 ? QStringLiteral("▲ ") : QStringLiteral("▼ ")) +
           percent(std::fabs(fraction));
}

QString DisplayFormat::millis(double ms)
{
    return QObject::tr("%1 ms").arg(count(std::llround(ms)));
}

QString DisplayFormat::noComparison()
{
    return QObject::tr("no comparable previous period");
}

QString DisplayFormat::change(int64_t now, int64_t before)
{
    if (before == 0)
        return noComparison();
    return QObject::tr("%1 vs previous").arg(signedPercent(double(now - before) / double(before)));
}

} // namespace tl
