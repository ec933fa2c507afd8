#pragma once

#include "engine.h"
#include "view.h"

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
QT_END_NAMESPACE

namespace tl {

class ComparePanel;
class FrontierPanel;
class LeverPanel;
class MonteCarloPanel;
class ScenarioDocument;
class SimulationResultsPanel;

// The what-if simulator: the lever panel beside baseline-vs-scenario
// results. The baseline is the shared filter's period and names, loaded off
// the GUI thread; every lever change recomputes on the spot (the engine
// takes well under a millisecond) and is one undoable step.
class SimulatorView : public View
{
    Q_OBJECT
public:
    explicit SimulatorView(QWidget *parent = nullptr);
    ~SimulatorView() override;

    QString title() const override { return tr("Simulator"); }
    void setRunner(QueryRunner *runner) override;
    void setFilter(const ViewFilter &filter) override;
    bool isSettled() const override { return m_settled; }

    ScenarioDocument *document() const { return m_doc; }
    LeverPanel *levers() const { return m_levers; }
    SimulationResultsPanel *results() const { return m_results; }
    MonteCarloPanel *monteCarlo() const { return m_monteCarlo; }
    FrontierPanel *frontier() const { return m_frontier; }
    ComparePanel *compare() const { return m_compare; }
    const sim::Engine *engine() const { return m_engine.get(); }
    QString notice() const;
    QList<QAction *> fileActions() const { return m_fileActions; }

    // File actions (the buttons and the tests call these). Errors are shown
    // in a message box unless `error` is given.
    void newScenario();
    bool openScenario(const QString &path, QString *error = nullptr);
    bool saveScenario(const QString &path, QString *error = nullptr);
    // Shows a scenario made elsewhere (an opportunity), not yet in a file.
    bool openUnsaved(const sim::Scenario &s);
    void duplicateScenario();
    bool addToComparison(const QString &path, QString *error = nullptr);
    // Asks to save a modified scenario; false if the user cancelled.
    bool maybeSave();
    QString windowTitlePart() const; // "Support on mini*" (with Qt's [*] marker)

Q_SIGNALS:
    // Opening a scenario asks the app to show its baseline period and names.
    void filterRequested(const tl::ViewFilter &filter);
    void titleChanged();

private:
    void showScenario(const sim::Scenario &s, const QString &path, const QStringList &notes);
    void reloadBaseline();
    void scheduleRecompute();
    void recompute();
    void openDialog();
    bool saveDialog();
    void addFileDialog();
    void updateTitle();
    void setNotice(const QString &text, bool warning = false);

    QueryRunner *m_runner = nullptr;
    ViewFilter m_filter;
    bool m_haveFilter = false;
    bool m_settled = false;
    bool m_recomputeQueued = false;
    std::shared_ptr<const sim::Engine> m_engine;
    std::shared_ptr<std::atomic<quint64>> m_generation;
    ScenarioDocument *m_doc;
    LeverPanel *m_levers;
    SimulationResultsPanel *m_results;
    MonteCarloPanel *m_monteCarlo;
    FrontierPanel *m_frontier;
    ComparePanel *m_compare;
    QLineEdit *m_name;
    QLabel *m_baselineLabel;
    QLabel *m_notice;
    QLabel *m_timing;
    QPushButton *m_cancelLoad;
    QTimer *m_loadTicker;
    std::shared_ptr<std::atomic<int>> m_loadPermille;
    QList<QAction *> m_fileActions;
    QStringList m_pendingNotes;
};

} // namespace tl
