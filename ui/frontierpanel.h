#pragma once

#include "engine.h"
#include "frontier.h"
#include "scenario.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace tl {

// The cost-quality frontier of model mixes for one agent, feature or team.
class FrontierPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FrontierPanel(QWidget *parent = nullptr);
    void setInput(const sim::Engine *engine, const sim::Scenario &s);
    const sim::FrontierResult &result() const { return m_result; }
    QComboBox *nameCombo() const { return m_name; }

    QString noteText() const; // the borrowed-rate note, when shown

private:
    static QString borrowedNote();
    void fillNames();
    void recompute();

    const sim::Engine *m_engine = nullptr;
    sim::Scenario m_scenario;
    sim::FrontierResult m_result;
    QComboBox *m_dimension;
    QComboBox *m_name;
    QChartView *m_chart;
    QTableWidget *m_table;
    QLabel *m_note;
};

} // namespace tl
