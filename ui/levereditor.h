#pragma once

#include "leverspec.h"

#include <QObject>

#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QSlider;
class QToolButton;

namespace tl {

// One lever as a row of a grid: label, slider, spin box with its unit, a
// "from the logs" box for levers that can take the observed value, and a
// reset to the baseline (neutral) value. Shares show as percent.
class LeverEditor : public QObject
{
    Q_OBJECT
public:
    LeverEditor(sim::LeverSpec spec, QGridLayout *grid, int row, QWidget *parent);

    const sim::LeverSpec &spec() const { return m_spec; }
    // Shows a value without emitting edited(); nullopt = from the logs.
    void setValue(std::optional<double> v);
    // What "from the logs" stands for, shown while it is ticked.
    void setObserved(std::optional<double> v);
    std::optional<double> value() const;
    QSlider *slider() const { return m_slider; }
    QDoubleSpinBox *spinBox() const { return m_spin; }
    QCheckBox *fromLogsBox() const { return m_fromLogs; }
    QToolButton *resetButton() const { return m_reset; }
    void setNeutral(std::optional<double> v) { m_neutral = v; }

Q_SIGNALS:
    // `merge`: may join the previous edit of this lever into one undo step
    // (slider drags, spin arrows); a reset or a "from the logs" toggle never does.
    void edited(const QString &path, std::optional<double> value, bool merge);

private:
    double toDisplay(double v) const;
    double fromDisplay(double d) const;
    int toSlider(double v) const;
    double fromSlider(int pos) const;
    void emitValue(std::optional<double> v, bool merge = true);
    void refreshEnabled();

    sim::LeverSpec m_spec;
    double m_sliderMin = 0;
    double m_sliderMax = 1;
    std::optional<double> m_neutral;
    std::optional<double> m_observed;
    QLabel *m_label;
    QSlider *m_slider;
    QDoubleSpinBox *m_spin;
    QCheckBox *m_fromLogs = nullptr;
    QToolButton *m_reset;
    bool m_updating = false;
};

} // namespace tl
