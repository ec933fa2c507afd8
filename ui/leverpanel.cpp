#include "leverpanel.h"

#include "levereditor.h"
#include "leverspec.h"
#include "modelmixeditor.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QVBoxLayout>

namespace tl {

LeverPanel::LeverPanel(QWidget *parent)
    : QScrollArea(parent)
{
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded); // only on small windows
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    auto *mixBox = new QGroupBox(tr("Model mix"), content);
    auto *mixLayout = new QVBoxLayout(mixBox);
    m_mix = new ModelMixEditor(mixBox);
    mixLayout->addWidget(m_mix);
    layout->addWidget(mixBox);
    connect(m_mix, &ModelMixEditor::edited, this, &LeverPanel::leversEdited);

    std::map<std::string, QGridLayout *> groups;
    for (const auto &spec : sim::LeverRegistry::fixed()) {
        auto it = groups.find(spec.group);
        if (it == groups.end()) {
            auto *box = new QGroupBox(QString::fromStdString(spec.group), content);
            auto *grid = new QGridLayout(box);
            grid->setColumnStretch(1, 1);
            grid->setVerticalSpacing(2);
            layout->addWidget(box);
            it = groups.emplace(spec.group, grid).first;
        }
        QGridLayout *grid = it->second;
        auto *e = new LeverEditor(spec, grid, grid->rowCount(), grid->parentWidget());
        m_editors[QString::fromStdString(spec.path)] = e;
        connect(e, &LeverEditor::edited, this,
                [this, e](const QString &path, std::optional<double> v, bool merge) {
                    sim::Levers l = m_levers;
                    e->spec().set(l, v);
                    // Keep the file valid: spot + reserved never pass 100%.
                    if (l.spotShare + l.reservedShare > 1) {
                        if (path == QLatin1String("infra.spot_share"))
                            l.reservedShare = 1 - l.spotShare;
                        else
                            l.spotShare = 1 - l.reservedShare;
                    }
                    Q_EMIT leversEdited(l, QString::fromStdString(e->spec().label),
                                        merge ? path : QString());
                });
    }
    layout->addStretch(1);
    setWidget(content);
    setMinimumWidth(380);
}

void LeverPanel::setWorkload(const sim::Workload &w)
{
    QStringList logged, priced;
    std::map<std::string, double> quality;
    std::vector<std::pair<double, QString>> byCost;
    std::vector<double> cost(w.models().size(), 0);
    for (const auto &g : w.groups())
        cost[g.model] += g.costUsd;
    for (size_t i = 0; i < w.models().size(); ++i) {
        const auto &m = w.models()[i];
        if (cost[i] > 0)
            byCost.emplace_back(-cost[i], QString::fromStdString(m.name));
        if (m.priced)
            priced << QString::fromStdString(m.name);
        if (m.observedQuality)
            quality[m.name] = *m.observedQuality;
    }
    std::sort(byCost.begin(), byCost.end());
    for (const auto &[c, name] : byCost)
        logged << name; // most expensive first: the usual candidates to move
    priced.sort();
    m_mix->setModels(logged, priced, quality);
    editor(QStringLiteral("response_cache.hit_rate"))->setObserved(w.promptRepeatRate());
    editor(QStringLiteral("prompt_cache.cached_input_share"))->setObserved(w.observedCachedShare());
    editor(QStringLiteral("prompt_cache.reads_per_write"))->setObserved(w.observedReadsPerWrite());
    editor(QStringLiteral("value.per_successful_task_usd"))->setObserved(w.valuePerSuccessUsd());
    // Compute starts from the imported cloud bills (FOCUS), when there are any.
    editor(QStringLiteral("infra.monthly_compute_usd"))
        ->setObserved(w.hasObservedInfra() ? std::optional(w.observedInfraMonthlyUsd())
                                           : std::nullopt);
    // The catalog's batch discount differs by model: show this workload's
    // spend-weighted one.
    double weighted = 0, spend = 0;
    for (size_t i = 0; i < w.models().size(); ++i) {
        const auto &m = w.models()[i];
        if (m.priced && m.input > 0 && cost[i] > 0) {
            weighted += cost[i] * std::clamp(1 - m.batchInput / m.input, 0.0, 1.0);
            spend += cost[i];
        }
    }
    editor(QStringLiteral("batching.discount"))->setObserved(spend > 0 ? weighted / spend : 0.0);
}

void LeverPanel::setLevers(const sim::Levers &l)
{
    m_levers = l;
    for (auto &[path, e] : m_editors)
        e->setValue(e->spec().get(l));
    m_mix->setLevers(l);
}

LeverEditor *LeverPanel::editor(const QString &path) const
{
    auto it = m_editors.find(path);
    return it == m_editors.end() ? nullptr : it->second;
}

} // namespace tl
