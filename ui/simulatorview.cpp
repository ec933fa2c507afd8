#include "simulatorview.h"

#include "filedialogs.h"
#include "store/filekind.h"

#include "baseline/baselinequery.h"
#include "comparepanel.h"
#include "core/timeutil.h"
#include "frontierpanel.h"
#include "items/queryrunner.h"
#include "leverpanel.h"
#include "montecarlopanel.h"
#include "scenariodocument.h"
#include "scenariofile.h"
#include "simulationresultspanel.h"

#include <QAction>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace tl {

namespace {

const QString kFileFilter =
    QObject::tr("Scenarios (*.tlscenario *.json);;All files (*)"); // .json: files from before 0.1

struct LoadedBaseline
{
    std::shared_ptr<const sim::Engine> engine;
    std::string workspaceId;
};

QString joinLines(const std::vector<std::string> &lines)
{
    QStringList out;
    for (const auto &l : lines)
        out << QString::fromStdString(l);
    return out.join(QLatin1Char('\n'));
}

} // namespace

SimulatorView::SimulatorView(QWidget *parent)
    : View(parent)
    , m_generation(std::make_shared<std::atomic<quint64>>(0))
    , m_doc(new ScenarioDocument(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 4);
    auto *bar = new QHBoxLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("scenarioName"));
    m_name->setPlaceholderText(tr("Scenario name"));
    m_name->setMinimumWidth(160);
    // As wide as its name (within reason), the whole name in the tooltip.
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        const int want = m_name->fontMetrics().horizontalAdvance(text) + 24;
        m_name->setMinimumWidth(std::clamp(want, 160, 420));
        m_name->setToolTip(text);
    });
    bar->addWidget(new QLabel(tr("Scenario"), this));
    bar->addWidget(m_name);
    const auto action = [&](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        m_fileActions << a;
        auto *b = new QToolButton(this);
        b->setDefaultAction(a);
        bar->addWidget(b);
        return a;
    };
    action(tr("New"), {}, [this] { newScenario(); });
    action(tr("Open…"), {}, [this] { openDialog(); });
    action(tr("Save"), QKeySequence::Save, [this] {
        if (m_doc->filePath().isEmpty())
            saveDialog();
        else
            saveScenario(m_doc->filePath());
    });
    action(tr("Save As…"), QKeySequence::SaveAs, [this] { saveDialog(); });
    action(tr("Duplicate"), {}, [this] { duplicateScenario(); });
    for (QAction *a : {m_doc->undoStack()->createUndoAction(this, tr("Undo")),
                       m_doc->undoStack()->createRedoAction(this, tr("Redo"))}) {
        const bool undo = m_fileActions.size() == 5;
        a->setShortcut(undo ? QKeySequence::Undo : QKeySequence::Redo);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        a->setObjectName(undo ? QStringLiteral("undo") : QStringLiteral("redo"));
        addAction(a);
        m_fileActions << a;
        auto *b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setMaximumWidth(220);
        bar->addWidget(b);
    }
    bar->addStretch(1);
    layout->addLayout(bar);
    // On a line of its own: beside the buttons it was squeezed to nothing.
    m_baselineLabel = new QLabel(this);
    m_baselineLabel->setObjectName(QStringLiteral("baselineLabel"));
    m_baselineLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long filters must not set the window's minimum width.
    m_baselineLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_baselineLabel);
    m_notice = new QLabel(this);
    m_notice->setWordWrap(true);
    m_notice->hide();
    layout->addWidget(m_notice);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("simulatorSplit"));
    m_levers = new LeverPanel(split);
    m_results = new SimulationResultsPanel(split);
    m_monteCarlo = new MonteCarloPanel(m_results);
    m_frontier = new FrontierPanel(m_results);
    m_compare = new ComparePanel(m_results);
    m_results->addTab(m_monteCarlo, tr("Monte Carlo"));
    m_results->addTab(m_frontier, tr("Cost-quality frontier"));
    m_results->addTab(m_compare, tr("Compare"));
    split->addWidget(m_levers);
    split->addWidget(m_results);
    split->setStretchFactor(1, 1);
    split->setSizes({500, 900});
    layout->addWidget(split, 1);
    m_timing = new QLabel(this);
    m_timing->setObjectName(QStringLiteral("recomputeTime"));
    m_timing->setAlignment(Qt::AlignRight);
    m_timing->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont small = m_timing->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_timing->setFont(small);
    m_cancelLoad = new QPushButton(tr("Cancel"), this);
    m_cancelLoad->setObjectName(QStringLiteral("cancelBaseline"));
    m_cancelLoad->hide();
    auto *status = new QHBoxLayout;
    status->addWidget(m_timing, 1);
    status->addWidget(m_cancelLoad);
    layout->addLayout(status);
    m_loadPermille = std::make_shared<std::atomic<int>>(0);
    m_loadTicker = new QTimer(this);
    m_loadTicker->setInterval(100);
    connect(m_loadTicker, &QTimer::timeout, this, [this] {
        m_timing->setText(tr("Loading the baseline… %1%").arg(m_loadPermille->load() / 10));
    });
    connect(m_cancelLoad, &QPushButton::clicked, this, [this] {
        m_generation->fetch_add(1); // the scan stops at its next progress tick
        m_loadTicker->stop();
        m_cancelLoad->hide();
        m_timing->setText(tr("Baseline load cancelled; change the period or filter, or use "
                             "View → Refresh, to load it again."));
        m_settled = true;
        Q_EMIT settled();
    });

    connect(m_levers, &LeverPanel::leversEdited, m_doc, &ScenarioDocument::edit);
    connect(m_monteCarlo, &MonteCarloPanel::rangesEdited, m_doc, &ScenarioDocument::editRanges);
    connect(m_doc, &ScenarioDocument::changed, this, [this] {
        m_levers->setLevers(m_doc->scenario().levers);
        scheduleRecompute();
    });
    connect(m_doc, &ScenarioDocument::titleChanged, this, &SimulatorView::updateTitle);
    connect(m_name, &QLineEdit::editingFinished, this, [this] { m_doc->setName(m_name->text()); });
    connect(m_results->tabs(), &QTabWidget::currentChanged, this, [this] {
        if (m_engine && m_results->tabs()->currentWidget() == m_frontier)
            m_frontier->setInput(m_engine.get(), m_doc->scenario());
    });
    connect(m_compare, &ComparePanel::pinRequested, this, [this] {
        m_compare->addScenario(tr("%1 (pinned %2)")
                                   .arg(m_doc->displayName(), QDateTime::currentDateTime().toString(
                                                                  QStringLiteral("HH:mm:ss"))),
                               m_doc->scenario());
    });
    connect(m_compare, &ComparePanel::addFileRequested, this, &SimulatorView::addFileDialog);
    m_levers->setLevers(m_doc->scenario().levers);
    updateTitle();
}

SimulatorView::~SimulatorView()
{
    m_generation->fetch_add(1); // a baseline still loading stops at its next progress tick
}

void SimulatorView::setRunner(QueryRunner *runner)
{
    m_runner = runner;
    m_engine.reset();
    if (m_haveFilter)
        reloadBaseline();
}

void SimulatorView::setFilter(const ViewFilter &filter)
{
    m_filter = filter;
    m_haveFilter = true;
    reloadBaseline();
}

void SimulatorView::reloadBaseline()
{
    if (!m_runner)
        return;
    m_settled = false;
    const quint64 generation = m_generation->fetch_add(1) + 1;
    const CallFilter filter = m_filter.callFilter();
    m_timing->setText(tr("Loading the baseline…"));
    m_loadPermille->store(0);
    m_loadTicker->start();
    m_cancelLoad->show();
    auto gen = m_generation;
    auto permille = m_loadPermille;
    m_runner->run<LoadedBaseline>(
        QStringLiteral("simulator:baseline"),
        [filter, gen, generation, permille](Workspace &ws) {
            LoadedBaseline out;
            // A newer filter, or Cancel, stops the scan of an older one.
            auto b = BaselineQuery::load(ws, filter, [&](int64_t done, int64_t total) {
                if (total > 0)
                    permille->store(int(std::min<int64_t>(1000, done * 1000 / total)));
                return gen->load() == generation;
            });
            if (b) {
                out.workspaceId = b->workspaceId;
                out.engine = std::make_shared<const sim::Engine>(*b);
            }
            return out;
        },
        [this, generation](LoadedBaseline &loaded) {
            if (!loaded.engine || m_generation->load() != generation)
                return; // cancelled: the newer load (if any) answers
            m_loadTicker->stop();
            m_cancelLoad->hide();
            m_engine = loaded.engine;
            const sim::Workload &w = m_engine->workload();
            m_levers->setWorkload(w);
            m_levers->setLevers(m_doc->scenario().levers);
            sim::BaselineSpec spec;
            spec.from = formatDate(w.fromDay());
            spec.to = formatDate(w.toDay());
            for (const auto &[dim, names] : m_filter.include)
                spec.filter[std::string(dimensionName(dim))] = names;
            spec.workspace = loaded.workspaceId;
            const std::string madeOn = m_doc->scenario().baseline.workspace;
            QStringList notes = m_pendingNotes;
            m_pendingNotes.clear();
            if (!madeOn.empty() && madeOn != loaded.workspaceId)
                notes << tr("This scenario was made on another workspace; it is re-based on "
                            "this workspace's calls from %1 to %2.")
                             .arg(QString::fromStdString(spec.from),
                                  QString::fromStdString(spec.to));
            m_doc->setBaseline(spec);
            const auto errors = sim::ScenarioFile::validate(m_doc->scenario(), w.models());
            if (!errors.empty())
                notes << tr("Not in this workspace: %1").arg(joinLines(errors));
            setNotice(notes.join(QLatin1Char('\n')), !errors.empty());
            QString where;
            for (const auto &[dim, names] : spec.filter)
                where += QStringLiteral(" · %1 = %2")
                             .arg(QString::fromStdString(dim),
                                  QString::fromStdString(
                                      names.size() == 1 ? names.front()
                                                        : std::to_string(names.size()) + " names"));
            // Monthly figures rest on the days with data; a gap is said.
            const QString days = w.daysWithoutData() > 0
                                     ? tr("%1 days with data of %2; months from those")
                                           .arg(int(w.days()))
                                           .arg(int(w.spanDays()))
                                     : tr("%1 days").arg(int(w.days()));
            if (w.cellCount() == 0)
                m_baselineLabel->setText(
                    tr("No calls to simulate on under this filter: import logs (File → Import "
                       "Logs…) or choose another period or filter."));
            else
                m_baselineLabel->setText(tr("Baseline: %1 to %2 (%3)%4")
                                             .arg(QString::fromStdString(spec.from),
                                                  QString::fromStdString(spec.to), days)
                                             .arg(where));
            m_results->show();
            recompute();
            m_settled = true;
            Q_EMIT settled();
        },
        [this, generation](const QString &error) {
            if (m_generation->load() != generation)
                return;
            m_loadTicker->stop();
            m_cancelLoad->hide();
            // The last baseline's results are not this filter's: hide them.
            m_engine.reset();
            m_results->hide();
            m_timing->clear();
            m_baselineLabel->setText(failureText(error));
            m_settled = true;
            Q_EMIT settled();
        });
}

void SimulatorView::scheduleRecompute()
{
    if (m_recomputeQueued)
        return;
    m_recomputeQueued = true;
    // Coalesces a burst of slider steps into one recompute per event-loop turn.
    QTimer::singleShot(0, this, [this] {
        m_recomputeQueued = false;
        recompute();
    });
}

void SimulatorView::recompute()
{
    if (!m_engine)
        return;
    QElapsedTimer clock;
    clock.start();
    const sim::Scenario &s = m_doc->scenario();
    m_results->update(*m_engine, s);
    const double engineMs = double(clock.nsecsElapsed()) / 1e6;
    m_monteCarlo->setInput(m_engine, s);
    m_compare->setInput(m_engine.get(), s);
    if (m_results->tabs()->currentWidget() == m_frontier)
        m_frontier->setInput(m_engine.get(), s);
    m_timing->setText(tr("%1 groups from %2 daily cells · recomputed and redrawn in %3 ms")
                          .arg(m_engine->workload().groups().size())
                          .arg(m_engine->workload().cellCount())
                          .arg(std::max(engineMs, double(clock.nsecsElapsed()) / 1e6), 0, 'f', 1));
}

void SimulatorView::setNotice(const QString &text, bool warning)
{
    m_notice->setText(text);
    m_notice->setStyleSheet(warning ? QStringLiteral("QLabel { color: #b45309; }") : QString());
    m_notice->setVisible(!text.isEmpty());
}

QString SimulatorView::notice() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

void SimulatorView::updateTitle()
{
    if (!m_name->hasFocus()) {
        m_name->setText(QString::fromStdString(m_doc->scenario().name));
        m_name->setCursorPosition(0); // a long name shows its beginning
    }
    Q_EMIT titleChanged();
}

QString SimulatorView::windowTitlePart() const
{
    return m_doc->displayName() + QStringLiteral("[*]");
}

bool SimulatorView::maybeSave()
{
    if (!m_doc->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved scenario"),
        tr("The scenario \"%1\" has changes that are not saved.").arg(m_doc->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return m_doc->filePath().isEmpty() ? saveDialog() : saveScenario(m_doc->filePath());
    return true;
}

void SimulatorView::newScenario()
{
    if (!maybeSave())
        return;
    sim::Scenario s;
    s.name = tr("Untitled scenario").toStdString();
    s.baseline = m_doc->scenario().baseline;
    m_doc->reset(s, {});
    setNotice({});
}

bool SimulatorView::openScenario(const QString &path, QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        else
            QMessageBox::warning(this, tr("Cannot open the scenario"), message);
        return false;
    };
    const sim::ScenarioLoad loaded = sim::ScenarioFile::load(path.toStdString());
    if (!loaded.scenario)
        return fail(QString::fromStdString(loaded.error));
    if (m_engine) {
        const auto errors =
            sim::ScenarioFile::validate(*loaded.scenario, m_engine->workload().models());
        if (!errors.empty())
            return fail(tr("%1 does not apply to this workspace:\n%2")
                            .arg(QFileInfo(path).fileName(), joinLines(errors)));
    }
    if (!error && !maybeSave())
        return false;
    FileDialogs::remember(path);
    QStringList notes;
    for (const auto &w : loaded.warnings)
        notes << QString::fromStdString(w);
    showScenario(*loaded.scenario, path, notes);
    return true;
}

bool SimulatorView::openUnsaved(const sim::Scenario &s)
{
    if (!maybeSave())
        return false;
    showScenario(s, QString(), {});
    // Unsaved until the user saves it: closing asks, like any edit.
    m_doc->markUnsaved();
    return true;
}

void SimulatorView::showScenario(const sim::Scenario &s, const QString &path,
                                 const QStringList &notes)
{
    m_doc->reset(s, path);
    setNotice(notes.join(QLatin1Char('\n')));
    // Show the scenario's own period and names: the app's filter follows.
    ViewFilter f = m_filter;
    f.include.clear();
    for (const auto &[dim, names] : s.baseline.filter)
        if (auto d = dimensionFromName(dim))
            f.include[*d] = names;
    const auto from = parseDate(s.baseline.from), to = parseDate(s.baseline.to);
    if (from && to) {
        f.range = ViewFilter::Range::Custom;
        f.customFrom = *from;
        f.customTo = *to;
    }
    if (!(f == m_filter)) {
        m_pendingNotes = notes;
        Q_EMIT filterRequested(f);
    } else if (m_engine) {
        // Same baseline: only the workspace check is left to say.
        const std::string madeOn = s.baseline.workspace;
        m_pendingNotes = notes;
        reloadBaseline();
        Q_UNUSED(madeOn);
    }
}

bool SimulatorView::saveScenario(const QString &path, QString *error)
{
    const QString message = m_doc->saveAs(path);
    if (!message.isEmpty()) {
        if (error)
            *error = message;
        else
            QMessageBox::warning(this, tr("Cannot save the scenario"), message);
        return false;
    }
    FileDialogs::remember(path);
    return true;
}

void SimulatorView::duplicateScenario()
{
    sim::Scenario s = m_doc->scenario();
    const QString name = tr("Copy of %1").arg(m_doc->displayName());
    s.created.clear();
    m_doc->reset(s, {});
    m_doc->setName(name); // unsaved until saved somewhere
}

bool SimulatorView::addToComparison(const QString &path, QString *error)
{
    const sim::ScenarioLoad loaded = sim::ScenarioFile::load(path.toStdString());
    QString message;
    if (!loaded.scenario)
        message = QString::fromStdString(loaded.error);
    else if (m_engine) {
        const auto errors =
            sim::ScenarioFile::validate(*loaded.scenario, m_engine->workload().models());
        if (!errors.empty())
            message = joinLines(errors);
    }
    if (!message.isEmpty()) {
        if (error)
            *error = message;
        else
            QMessageBox::warning(this, tr("Cannot compare the scenario"), message);
        return false;
    }
    m_compare->addScenario(
        QString::fromStdString(loaded.scenario->name.empty()
                                   ? QFileInfo(path).completeBaseName().toStdString()
                                   : loaded.scenario->name),
        *loaded.scenario);
    return true;
}

void SimulatorView::openDialog()
{
    const QString path = FileDialogs::openFile(this, tr("Open Scenario"), kFileFilter);
    if (!path.isEmpty())
        openScenario(path);
}

bool SimulatorView::saveDialog()
{
    QString suggestion = m_doc->filePath();
    if (suggestion.isEmpty())
        suggestion = m_doc->displayName().replace(QLatin1Char('/'), QLatin1Char('-')) +
                     QString::fromLatin1(kScenarioExtension);
    const QString path = FileDialogs::saveFile(this, tr("Save Scenario"), suggestion, kFileFilter);
    return !path.isEmpty() && saveScenario(path);
}

void SimulatorView::addFileDialog()
{
    const QStringList paths = FileDialogs::openFiles(this, tr("Compare Scenarios"), kFileFilter);
    for (const QString &p : paths)
        addToComparison(p);
}

} // namespace tl
