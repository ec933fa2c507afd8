#pragma once

#include "scenario.h"

#include <QStringList>
#include <QWidget>

#include <set>

#include <map>
#include <optional>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QVBoxLayout;

namespace tl {

class LeverEditor;

// The model-mix lever: a list of moves (from → to, share, output-token
// ratio, scope), the escalation cascade, and the success rate of each model
// involved. Shows a Levers; reports edits as a whole new Levers.
class ModelMixEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ModelMixEditor(QWidget *parent = nullptr);

    // Models a move can come from (logged) and go to (priced).
    void setModels(const QStringList &logged, const QStringList &priced,
                   const std::map<std::string, double> &observedQuality);
    void setLevers(const sim::Levers &l);
    void addMove(); // File-less shortcut the tests use too
    int moveCount() const { return int(m_levers.modelMix.size()); }
    QComboBox *fromCombo(int move) const;
    QComboBox *toCombo(int move) const;
    LeverEditor *shareEditor(int move) const;
    // The success-rate editor of a model a move involves, or nullptr.
    LeverEditor *qualityEditor(const std::string &model) const;

Q_SIGNALS:
    void edited(const sim::Levers &after, const QString &text, const QString &mergeKey);

private:
    static std::set<std::string> involvedModels(const sim::Levers &l);
    void rebuild();
    QString structureKey(const sim::Levers &l) const;
    void emitEdit(const sim::Levers &after, const QString &text, const QString &key = {});

    sim::Levers m_levers;
    QStringList m_logged, m_priced;
    std::map<std::string, double> m_observedQuality;
    QString m_builtKey;
    QWidget *m_rows = nullptr;
    QVBoxLayout *m_layout;
    QCheckBox *m_escalate;
    QComboBox *m_escalateTo;
    struct Row
    {
        QComboBox *from;
        QComboBox *to;
        LeverEditor *share;
        LeverEditor *ratio;
    };
    std::vector<Row> m_rowWidgets;
    std::vector<LeverEditor *> m_quality;
};

} // namespace tl
