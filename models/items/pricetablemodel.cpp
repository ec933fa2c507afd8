#include "pricetablemodel.h"

#include "core/timeutil.h"
#include "items/roles.h"

#include <QLocale>

namespace tl {

namespace {

int64_t *priceField(PriceEntry &e, int column)
{
    switch (column) {
    case PriceTableModel::Input:
        return &e.inputPpt;
    case PriceTableModel::Output:
        return &e.outputPpt;
    case PriceTableModel::CachedInput:
        return &e.cachedInputPpt;
    case PriceTableModel::CacheWrite:
        return &e.cacheWritePpt;
    case PriceTableModel::CacheWrite1h:
        return &e.cacheWrite1hPpt;
    case PriceTableModel::BatchInput:
        return &e.batchInputPpt;
    case PriceTableModel::BatchOutput:
        return &e.batchOutputPpt;
    default:
        return nullptr;
    }
}

QString priceText(int64_t ppt)
{
    if (ppt == kNoPrice)
        return {};
    // Up to 6 decimals, no trailing zeros: 0.01875 stays 0.01875.
    QString s = QString::number(pptToPerMtok(ppt), 'f', 6);
    while (s.endsWith(QLatin1Char('0')))
        s.chop(1);
    if (s.endsWith(QLatin1Char('.')))
        s.chop(1);
    return s;
}

} // namespace

PriceTableModel::PriceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void PriceTableModel::setCatalog(const PriceCatalog &catalog, bool modified)
{
    beginResetModel();
    m_entries = catalog.entries();
    endResetModel();
    if (m_modified != modified) {
        m_modified = modified;
        Q_EMIT modifiedChanged(modified);
    }
}

PriceCatalog PriceTableModel::catalog() const
{
    PriceCatalog c;
    for (const auto &e : m_entries)
        c.addEntry(e);
    return c;
}

QString PriceTableModel::validate() const
{
    for (size_t i = 0; i < m_entries.size(); ++i) {
        const PriceEntry &e = m_entries[i];
        if (e.model.empty())
            return tr("Row %1: the model name is empty.").arg(i + 1);
        if (e.inputPpt == kNoPrice || e.outputPpt == kNoPrice)
            return tr("Row %1 (%2): input and output prices are required.")
                .arg(i + 1)
                .arg(QString::fromStdString(e.model));
    }
    return {};
}

void PriceTableModel::markModified()
{
    if (!m_modified) {
        m_modified = true;
        Q_EMIT modifiedChanged(true);
    }
}

int PriceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int PriceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PriceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const PriceEntry &e = m_entries[size_t(index.row())];
    const int col = index.column();
    if (role == Qt::TextAlignmentRole && col >= Input && col != Tiers)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (col == CacheWrite1h && e.cacheWrite1hPpt == kNoPrice &&
        (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        // Empty, but not unpriced: say what applies.
        bool defaulted = false;
        const int64_t p = e.cacheWrite1hPrice(&defaulted);
        if (role == Qt::ToolTipRole)
            return defaulted ? tr("Not in the catalog: Anthropic's rule, 2× the input price, "
                                  "applies")
                             : tr("Not in the catalog: 1-hour writes are billed at the cache-write "
                                  "price");
        return defaulted ? tr("(%1)").arg(priceText(p)) : QString();
    }
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != SortRole && role != ExportRole)
        return {};
    switch (col) {
    case Provider:
        return QString::fromStdString(e.provider);
    case Model:
        return QString::fromStdString(e.model);
    case Aliases: {
        QStringList a;
        for (const auto &s : e.aliases)
            a << QString::fromStdString(s);
        return a.join(QStringLiteral(", "));
    }
    case EffectiveFrom:
        return e.hasEffectiveFrom() ? QString::fromStdString(formatDate(dayOf(e.effectiveFromMs)))
                                    : QString();
    case Tiers:
        return QString::fromStdString(tierSummary(e));
    default: {
        int64_t *p = priceField(const_cast<PriceEntry &>(e), col);
        if (role == SortRole)
            return qlonglong(*p);
        if (role == ExportRole && *p != kNoPrice)
            return pptToPerMtok(*p);
        return priceText(*p);
    }
    }
}

bool PriceTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= rowCount())
        return false;
    PriceEntry &e = m_entries[size_t(index.row())];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case Provider:
        e.provider = text.toStdString();
        break;
    case Model:
        if (text.isEmpty())
            return false;
        e.model = text.toStdString();
        break;
    case Aliases: {
        e.aliases.clear();
        for (const QString &a : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!a.trimmed().isEmpty())
                e.aliases.push_back(a.trimmed().toStdString());
        break;
    }
    case EffectiveFrom: {
        if (text.isEmpty()) {
            e.effectiveFromMs = PriceEntry().effectiveFromMs;
            break;
        }
        auto day = parseDate(text.toStdString());
        if (!day)
            return false;
        e.effectiveFromMs = *day * kMsPerDay;
        break;
    }
    default: {
        int64_t *p = priceField(e, index.column());
        if (text.isEmpty()) {
            *p = kNoPrice;
            break;
        }
        bool ok = false;
        const double v = QLocale::c().toDouble(text, &ok);
        if (!ok || v < 0)
            return false;
        *p = perMtokToPpt(v);
        break;
    }
    }
    Q_EMIT dataChanged(index, index);
    markModified();
    return true;
}

Qt::ItemFlags PriceTableModel::flags(const QModelIndex &index) const
{
    if (index.column() == Tiers)
        return QAbstractTableModel::flags(index);
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable;
}

QVariant PriceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[ColumnCount] = {
        "Provider",           "Model",                  "Aliases",
        "Effective from",     "Input $/Mtok",           "Output $/Mtok",
        "Cached input $/Mtok", "Cache write $/Mtok",    "1-hour write $/Mtok",
        "Batch input $/Mtok", "Batch output $/Mtok",    "Tiers and search (input/output $/Mtok)"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

bool PriceTableModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > rowCount() || count <= 0)
        return false;
    beginInsertRows({}, row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        PriceEntry e;
        e.source = "edited in tokenledger";
        m_entries.insert(m_entries.begin() + row, e);
    }
    endInsertRows();
    markModified();
    return true;
}

bool PriceTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > rowCount())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_entries.erase(m_entries.begin() + row, m_entries.begin() + row + count);
    endRemoveRows();
    markModified();
    return true;
}

} // namespace tl
