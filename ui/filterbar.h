#pragma once

#include "viewfilter.h"

#include <QWidget>

#include <array>
#include <map>

class QComboBox;
class QDateEdit;
class QHBoxLayout;
class QToolButton;
class QWidget;

namespace tl {

class DimensionPicker;
class QueryRunner;

// The filter bar above every view: date range with presets, granularity,
// and a multi-select filter per dimension; the active filters show as
// removable chips. Emits filterChanged() on every change.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr std::array<Dimension, 6> kDimensions = {
        Dimension::Team,  Dimension::Feature,  Dimension::Agent,
        Dimension::Model, Dimension::Provider, Dimension::User};

    explicit FilterBar(QWidget *parent = nullptr);

    void setRunner(QueryRunner *runner);
    const ViewFilter &filter() const { return m_filter; }
    void setFilter(const ViewFilter &filter); // emits filterChanged
    // Keeps only `name` for a dimension (clicks on charts land here).
    void restrictTo(Dimension d, const std::string &name);
    void setDataBounds(int64_t firstDay, int64_t lastDay);

    QComboBox *rangeCombo() const { return m_range; }
    QComboBox *granularityCombo() const { return m_granularity; }
    QDateEdit *fromEdit() const { return m_from; }
    QDateEdit *toEdit() const { return m_to; }
    DimensionPicker *picker(Dimension d) const;
    QList<QToolButton *> chips() const;

Q_SIGNALS:
    void filterChanged(const tl::ViewFilter &filter);

private:
    void installPicker(Dimension d);
    void syncWidgets();
    void rebuildChips();
    void changed();

    ViewFilter m_filter;
    QueryRunner *m_runner = nullptr;
    QComboBox *m_range;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QComboBox *m_granularity;
    std::map<Dimension, QToolButton *> m_buttons;
    std::map<Dimension, DimensionPicker *> m_pickers;
    QWidget *m_chipRow;
    QHBoxLayout *m_chipLayout;
    bool m_syncing = false;
};

} // namespace tl
