#include "scenariodocument.h"

#include "leverspec.h"
#include "scenariofile.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QUndoCommand>
#include <QUndoStack>

namespace tl {

namespace {

// Within this long of the last edit of the same lever, an edit extends the
// last undo step instead of adding one: a drag is one step, a later
// touch of the same slider a new one.
constexpr qint64 kMergeWindowMs = 1000;

class LeverEdit : public QUndoCommand
{
public:
    struct State
    {
        sim::Levers levers;
        std::map<std::string, std::pair<double, double>> ranges;
    };
    LeverEdit(ScenarioDocument *doc, State before, State after, const QString &text, QString key)
        : QUndoCommand(text)
        , m_doc(doc)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_key(std::move(key))
    {
        m_clock.start();
    }
    int id() const override { return m_key.isEmpty() ? -1 : 1; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *o = static_cast<const LeverEdit *>(other);
        if (o->m_key != m_key || m_clock.elapsed() > kMergeWindowMs)
            return false;
        m_after = o->m_after;
        m_clock.restart();
        return true;
    }
    void undo() override { m_doc->apply(m_before.levers, m_before.ranges); }
    void redo() override { m_doc->apply(m_after.levers, m_after.ranges); }

private:
    ScenarioDocument *m_doc;
    State m_before, m_after;
    QString m_key;
    QElapsedTimer m_clock;
};

} // namespace

ScenarioDocument::ScenarioDocument(QObject *parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
    m_scenario.name = tr("Untitled scenario").toStdString();
    connect(m_undo, &QUndoStack::cleanChanged, this, &ScenarioDocument::titleChanged);
}

QString ScenarioDocument::displayName() const
{
    if (!m_scenario.name.empty())
        return QString::fromStdString(m_scenario.name);
    if (!m_path.isEmpty())
        return QFileInfo(m_path).completeBaseName();
    return tr("Untitled scenario");
}

bool ScenarioDocument::isModified() const
{
    return m_metaDirty || !m_undo->isClean();
}

void ScenarioDocument::edit(const sim::Levers &after, const QString &text, const QString &mergeKey)
{
    if (after == m_scenario.levers)
        return;
    // A range of a lever that no longer exists (a removed move) goes too.
    auto ranges = m_scenario.ranges;
    for (auto it = ranges.begin(); it != ranges.end();)
        it = sim::LeverRegistry::find(after, it->first) ? std::next(it) : ranges.erase(it);
    m_undo->push(new LeverEdit(this, {m_scenario.levers, m_scenario.ranges}, {after, ranges}, text,
                               mergeKey));
}

void ScenarioDocument::editRanges(const std::map<std::string, std::pair<double, double>> &ranges,
                                  const QString &text)
{
    if (ranges == m_scenario.ranges)
        return;
    m_undo->push(new LeverEdit(this, {m_scenario.levers, m_scenario.ranges},
                               {m_scenario.levers, ranges}, text, {}));
}

void ScenarioDocument::apply(const sim::Levers &l,
                             const std::map<std::string, std::pair<double, double>> &r)
{
    m_scenario.levers = l;
    m_scenario.ranges = r;
    Q_EMIT changed();
}

void ScenarioDocument::markUnsaved()
{
    m_metaDirty = true;
    Q_EMIT titleChanged();
}

void ScenarioDocument::setName(const QString &name)
{
    if (name.toStdString() == m_scenario.name)
        return;
    m_scenario.name = name.toStdString();
    m_metaDirty = true;
    Q_EMIT titleChanged();
}

void ScenarioDocument::setBaseline(const sim::BaselineSpec &spec)
{
    if (spec == m_scenario.baseline)
        return;
    const bool firstFill = m_scenario.baseline.from.empty() && m_scenario.baseline.to.empty() &&
                           m_undo->count() == 0 && m_path.isEmpty();
    m_scenario.baseline = spec;
    if (!firstFill)
        m_metaDirty = true;
    Q_EMIT titleChanged();
}

void ScenarioDocument::reset(const sim::Scenario &s, const QString &path)
{
    m_scenario = s;
    m_path = path;
    m_metaDirty = false;
    m_undo->clear();
    Q_EMIT changed();
    Q_EMIT titleChanged();
}

QString ScenarioDocument::saveAs(const QString &path)
{
    if (m_scenario.created.empty())
        m_scenario.created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    const std::string error = sim::ScenarioFile::save(path.toStdString(), m_scenario);
    if (!error.empty())
        return QString::fromStdString(error);
    m_path = path;
    m_metaDirty = false;
    m_undo->setClean();
    Q_EMIT titleChanged();
    return {};
}

} // namespace tl
