#pragma once

#include "pricing/pricecatalog.h"

#include <QAbstractTableModel>

namespace tl {

// The price catalog as an editable table for the Prices dialog. Prices are
// shown and entered in USD per million tokens; an empty cell is "no price"
// (cached, cache-write and batch prices then fall back as the catalog says).
class PriceTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Provider, Model, Aliases, EffectiveFrom, Input, Output, CachedInput, CacheWrite,
        CacheWrite1h, BatchInput, BatchOutput,
        Tiers, // long context, service tiers, search: kept as the catalog file has them, read-only
        ColumnCount
    };

    explicit PriceTableModel(QObject *parent = nullptr);

    // `modified`: the table differs from what the workspace holds (an import).
    void setCatalog(const PriceCatalog &catalog, bool modified = false);
    PriceCatalog catalog() const;
    bool isModified() const { return m_modified; }
    // Why the table cannot be saved as a catalog (empty model name…), or empty.
    QString validate() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

Q_SIGNALS:
    void modifiedChanged(bool modified);

private:
    void markModified();
    std::vector<PriceEntry> m_entries;
    bool m_modified = false;
};

} // namespace tl
