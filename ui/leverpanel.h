#pragma once

#include "scenario.h"
#include "workload.h"

#include <QScrollArea>

#include <map>

namespace tl {

class LeverEditor;
class ModelMixEditor;

// Every lever of a scenario, grouped as simulation.md groups them: model mix,
// caching, batching, infrastructure, prices and volume, value and ROI.
class LeverPanel : public QScrollArea
{
    Q_OBJECT
public:
    explicit LeverPanel(QWidget *parent = nullptr);

    // The workload's models and the values "from the logs" stands for.
    void setWorkload(const sim::Workload &w);
    void setLevers(const sim::Levers &l); // shows, emits nothing
    LeverEditor *editor(const QString &path) const;
    ModelMixEditor *modelMix() const { return m_mix; }

Q_SIGNALS:
    void leversEdited(const sim::Levers &after, const QString &text, const QString &mergeKey);

private:
    sim::Levers m_levers;
    std::map<QString, LeverEditor *> m_editors;
    ModelMixEditor *m_mix;
};

} // namespace tl
