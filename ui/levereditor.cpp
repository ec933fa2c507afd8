#include "levereditor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace tl {

namespace {
constexpr int kSteps = 1000;

// The slider covers the useful part of a lever's range; the spin box takes
// anything valid (a 1,000% price rise is valid, not a slider's business).
std::pair<double, double> sliderRange(const sim::LeverSpec &s)
{
    if (s.unit == "share")
        return {0, 1};
    if (s.unit == "%" && s.min >= 0) // a cut: 0 to all of it
        return {s.min, s.max};
    if (s.unit == "%")
        return s.path == "volume.monthly_growth_pct" ? std::pair{-10.0, 20.0}
                                                     : std::pair{-50.0, 100.0};
    if (s.unit == "s")
        return {0, 600};
    if (s.unit == "calls")
        return {1, 1000};
    if (s.unit == "x")
        return s.path.find("output_token_ratio") != std::string::npos ? std::pair{0.1, 3.0}
               : s.path == "prompt_cache.reads_per_write"             ? std::pair{1.0, 50.0}
                                                                      : std::pair{1.0, 5.0};
    if (s.tornadoHigh < 0.01)
        return {0, s.tornadoHigh * 10}; // per-call prices: fractions of a cent
    return {std::max(0.0, s.min), std::max(1.0, s.tornadoHigh * 5)}; // USD
}
} // namespace

LeverEditor::LeverEditor(sim::LeverSpec spec, QGridLayout *grid, int row, QWidget *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
{
    std::tie(m_sliderMin, m_sliderMax) = sliderRange(m_spec);
    m_neutral = m_spec.get(sim::Levers{});
    if (!m_neutral && !m_spec.nullable)
        m_neutral = 0;
    m_label = new QLabel(QString::fromStdString(m_spec.label), parent);
    m_label->setToolTip(QString::fromStdString(m_spec.path));
    m_label->setWordWrap(true);
    m_label->setFixedWidth(150); // one label column across every group
    m_slider = new QSlider(Qt::Horizontal, parent);
    m_slider->setRange(0, kSteps);
    m_slider->setObjectName(QString::fromStdString(m_spec.path) + QStringLiteral(".slider"));
    m_slider->setMinimumWidth(60);
    m_spin = new QDoubleSpinBox(parent);
    m_spin->setObjectName(QString::fromStdString(m_spec.path));
    m_spin->setKeyboardTracking(false);
    m_spin->setAccelerated(true);
    // Fixed columns in every group's grid, so the sliders, boxes and ticks
    // of all groups line up down the panel.
    m_spin->setFixedWidth(104);
    grid->setColumnMinimumWidth(3, 70);
    grid->setColumnMinimumWidth(4, 24);
    m_spin->setAlignment(Qt::AlignRight);
    if (m_spec.unit == "share") {
        m_spin->setDecimals(1);
        m_spin->setSuffix(QStringLiteral(" %"));
        m_spin->setSingleStep(1);
    } else if (m_spec.unit == "%") {
        m_spin->setDecimals(1);
        m_spin->setSuffix(QStringLiteral(" %"));
    } else if (m_spec.unit == "USD") {
        m_spin->setPrefix(QStringLiteral("$"));
        m_spin->setDecimals(m_spec.tornadoHigh < 0.01 ? 6 : 2);
        m_spin->setSingleStep(m_spec.tornadoHigh < 0.01 ? 0.00001 : 1);
        m_spin->setGroupSeparatorShown(true);
    } else if (m_spec.unit == "s") {
        m_spin->setDecimals(1);
        m_spin->setSuffix(QStringLiteral(" s"));
    } else if (m_spec.unit == "calls") {
        m_spin->setDecimals(0);
        m_spin->setSuffix(QStringLiteral(" calls"));
    } else {
        m_spin->setDecimals(2);
        m_spin->setSuffix(QStringLiteral(" ×"));
        m_spin->setSingleStep(0.05);
    }
    m_spin->setRange(toDisplay(m_spec.min), toDisplay(m_spec.max));
    m_reset = new QToolButton(parent);
    m_reset->setText(QStringLiteral("↺"));
    m_reset->setAutoRaise(true);
    m_reset->setToolTip(tr("Back to the baseline value"));
    grid->addWidget(m_label, row, 0);
    grid->addWidget(m_slider, row, 1);
    grid->addWidget(m_spin, row, 2);
    if (m_spec.nullable) {
        const bool bills = m_spec.path == "infra.monthly_compute_usd";
        m_fromLogs = new QCheckBox(m_spec.path == "batching.discount" ? tr("catalog")
                                   : bills                            ? tr("bills")
                                                                      : tr("logs"),
                                   parent);
        m_fromLogs->setToolTip(bills ? tr("Use the imported cloud bills (FOCUS): what the "
                                          "agents' infrastructure cost per month")
                                     : tr("Use what the logs (or the price catalog) say"));
        grid->addWidget(m_fromLogs, row, 3);
        connect(m_fromLogs, &QCheckBox::toggled, this, [this](bool on) {
            if (m_updating)
                return;
            refreshEnabled();
            emitValue(on ? std::nullopt : std::optional<double>(fromDisplay(m_spin->value())),
                      false);
        });
    }
    grid->addWidget(m_reset, row, 4);

    connect(m_slider, &QSlider::valueChanged, this, [this](int pos) {
        if (m_updating)
            return;
        const double v = fromSlider(pos);
        {
            const QSignalBlocker block(m_spin);
            m_spin->setValue(toDisplay(v));
        }
        emitValue(fromDisplay(m_spin->value()));
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double d) {
        if (m_updating)
            return;
        {
            const QSignalBlocker block(m_slider);
            m_slider->setValue(toSlider(fromDisplay(d)));
        }
        emitValue(fromDisplay(d));
    });
    connect(m_reset, &QToolButton::clicked, this, [this] {
        setValue(m_neutral);
        emitValue(m_neutral, false);
    });
}

double LeverEditor::toDisplay(double v) const
{
    return m_spec.unit == "share" ? v * 100 : v;
}

double LeverEditor::fromDisplay(double d) const
{
    return m_spec.unit == "share" ? d / 100 : d;
}

int LeverEditor::toSlider(double v) const
{
    const double t = (v - m_sliderMin) / (m_sliderMax - m_sliderMin);
    return int(std::lround(std::clamp(t, 0.0, 1.0) * kSteps));
}

double LeverEditor::fromSlider(int pos) const
{
    const double v = m_sliderMin + (m_sliderMax - m_sliderMin) * pos / kSteps;
    return m_spec.integer ? std::round(v) : v;
}

void LeverEditor::emitValue(std::optional<double> v, bool merge)
{
    Q_EMIT edited(QString::fromStdString(m_spec.path), v, merge);
}

void LeverEditor::setObserved(std::optional<double> v)
{
    m_observed = v;
    if (m_fromLogs && m_fromLogs->isChecked())
        setValue(std::nullopt);
}

void LeverEditor::setValue(std::optional<double> v)
{
    m_updating = true;
    if (m_fromLogs)
        m_fromLogs->setChecked(!v);
    const double shown = v ? *v : m_observed.value_or(0);
    if (v && *v > m_sliderMax && m_spec.unit == "USD")
        m_sliderMax = *v * 2; // money sliders grow with what the user typed
    // "From the logs" with nothing logged is unknown, not 0%: say so, and
    // what the engine does instead (a model's moved calls keep the rate of
    // the model they come from).
    const bool unknown = !v && !m_observed && m_fromLogs;
    m_spin->setSpecialValueText(unknown ? tr("unknown") : QString());
    m_spin->setToolTip(unknown && m_spec.path.rfind("quality.", 0) == 0
                           ? tr("No calls of this model with outcomes in the baseline: its moved "
                                "calls keep the success rate of the model they come from. Untick "
                                "“logs” to set one.")
                       : unknown ? tr("Nothing in the logs to go by")
                                 : QString());
    m_spin->setValue(unknown ? m_spin->minimum() : toDisplay(shown));
    m_slider->setValue(toSlider(shown));
    m_updating = false;
    refreshEnabled();
}

std::optional<double> LeverEditor::value() const
{
    if (m_fromLogs && m_fromLogs->isChecked())
        return std::nullopt;
    return fromDisplay(m_spin->value());
}

void LeverEditor::refreshEnabled()
{
    const bool own = !m_fromLogs || !m_fromLogs->isChecked();
    m_slider->setEnabled(own);
    m_spin->setEnabled(own);
}

} // namespace tl
