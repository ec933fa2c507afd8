#pragma once

#include "scenario.h"

#include <QObject>
#include <QString>

class QUndoStack;

namespace tl {

// One open scenario: its levers, file and undo history. Every lever change
// goes through edit() as an undoable command; consecutive edits of the same
// lever within a moment (a slider drag, spin-box arrows) merge into one step.
class ScenarioDocument : public QObject
{
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject *parent = nullptr);

    const sim::Scenario &scenario() const { return m_scenario; }
    QUndoStack *undoStack() const { return m_undo; }
    QString filePath() const { return m_path; }
    QString displayName() const; // the scenario's name, else the file's, else "Untitled"
    bool isModified() const;

    // `mergeKey` names the lever edited ("batching.window_s"); empty: never merges.
    void edit(const sim::Levers &after, const QString &text, const QString &mergeKey);
    void editRanges(const std::map<std::string, std::pair<double, double>> &ranges,
                    const QString &text);
    // Not undoable: meta data and the baseline the view follows.
    void setName(const QString &name);
    void setBaseline(const sim::BaselineSpec &spec);

    // Replaces the document (new, opened, duplicated); clears the history.
    void reset(const sim::Scenario &s, const QString &path);
    // A document made elsewhere and never saved: closing it asks.
    void markUnsaved();
    // Writes the file; on success the document is clean. Empty on success.
    QString saveAs(const QString &path);

    // Used by the undo commands.
    void apply(const sim::Levers &l, const std::map<std::string, std::pair<double, double>> &r);

Q_SIGNALS:
    void changed(); // levers, name or baseline
    void titleChanged();

private:
    sim::Scenario m_scenario;
    QString m_path;
    QUndoStack *m_undo;
    bool m_metaDirty = false;
};

} // namespace tl
