#include "modelmixeditor.h"

#include "chartfactory.h"
#include "levereditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <set>

namespace tl {

namespace {
QString joined(const std::vector<std::string> &names)
{
    QStringList out;
    for (const auto &n : names)
        out << QString::fromStdString(n);
    return out.join(QStringLiteral(", "));
}

std::vector<std::string> split(const QString &text)
{
    std::vector<std::string> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out.push_back(part.trimmed().toStdString());
    return out;
}

// Model names are long ("claude-sonnet-4-5-20250929"): combos size to a
// short name and show the rest in the drop-down.
void compact(QComboBox *box)
{
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(12);
    // A name cut by the width is whole in the tooltip.
    box->setToolTip(box->currentText());
    QObject::connect(box, &QComboBox::currentTextChanged, box,
                     [box](const QString &t) { box->setToolTip(t); });
}

void fill(QComboBox *box, const QStringList &items, const std::string &current)
{
    const QSignalBlocker block(box);
    box->clear();
    box->addItems(items);
    const QString c = QString::fromStdString(current);
    // Nothing chosen yet: the first entry is the suggestion.
    if (!c.isEmpty()) {
        if (box->findText(c) < 0)
            box->addItem(c);
        box->setCurrentText(c);
    }
    box->setToolTip(box->currentText()); // the signal is blocked here
}
} // namespace

ModelMixEditor::ModelMixEditor(QWidget *parent)
    : QWidget(parent)
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    auto *add = new QPushButton(tr("Add a move"), this);
    add->setObjectName(QStringLiteral("addMove"));
    add->setToolTip(tr("Route a share of one model's calls to another"));
    connect(add, &QPushButton::clicked, this, &ModelMixEditor::addMove);
    auto *escalation = new QHBoxLayout;
    m_escalate = new QCheckBox(tr("Escalate failures to"), this);
    m_escalate->setObjectName(QStringLiteral("escalate"));
    m_escalate->setToolTip(tr("Cascade: moved calls try the cheaper model first; its failures "
                              "run again on this one"));
    m_escalateTo = new QComboBox(this);
    compact(m_escalateTo);
    escalation->addWidget(m_escalate);
    escalation->addWidget(m_escalateTo, 1);
    m_layout->addWidget(add, 0, Qt::AlignLeft);
    m_layout->addLayout(escalation);
    connect(m_escalate, &QCheckBox::toggled, this, [this](bool on) {
        sim::Levers l = m_levers;
        l.escalationEnabled = on;
        if (on && l.escalationTo.empty())
            l.escalationTo = m_escalateTo->currentText().toStdString();
        emitEdit(l, on ? tr("Escalate failures") : tr("No escalation"));
    });
    connect(m_escalateTo, &QComboBox::currentTextChanged, this, [this](const QString &m) {
        sim::Levers l = m_levers;
        l.escalationTo = m.toStdString();
        emitEdit(l, tr("Escalate to %1").arg(m));
    });
}

void ModelMixEditor::setModels(const QStringList &logged, const QStringList &priced,
                               const std::map<std::string, double> &observedQuality)
{
    m_logged = logged;
    m_priced = priced;
    m_observedQuality = observedQuality;
    fill(m_escalateTo, m_priced, m_levers.escalationTo);
    m_builtKey.clear();
    rebuild();
}

QString ModelMixEditor::structureKey(const sim::Levers &l) const
{
    QString key;
    for (const auto &m : l.modelMix)
        key += QString::fromStdString(
            m.from + ">" + m.to + "|" + joined(m.scope.agent).toStdString() + "|" +
            joined(m.scope.team).toStdString() + "|" + joined(m.scope.feature).toStdString() + ";");
    key += l.escalationEnabled ? QString::fromStdString("E" + l.escalationTo) : QString();
    for (const auto &[model, q] : l.quality)
        key += QString::fromStdString("Q" + model);
    return key;
}

void ModelMixEditor::setLevers(const sim::Levers &l)
{
    m_levers = l;
    {
        const QSignalBlocker a(m_escalate), b(m_escalateTo);
        m_escalate->setChecked(l.escalationEnabled);
        fill(m_escalateTo, m_priced, l.escalationTo);
    }
    if (structureKey(l) != m_builtKey)
        rebuild();
    for (size_t i = 0; i < m_rowWidgets.size() && i < l.modelMix.size(); ++i) {
        m_rowWidgets[i].share->setValue(l.modelMix[i].share);
        m_rowWidgets[i].ratio->setValue(l.modelMix[i].outputTokenRatio);
    }
    for (LeverEditor *q : m_quality)
        q->setValue(q->spec().get(l));
}

std::set<std::string> ModelMixEditor::involvedModels(const sim::Levers &l)
{
    std::set<std::string> involved;
    for (const auto &mv : l.modelMix) {
        involved.insert(mv.from);
        involved.insert(mv.to);
    }
    if (l.escalationEnabled)
        involved.insert(l.escalationTo);
    return involved;
}

void ModelMixEditor::emitEdit(const sim::Levers &after, const QString &text, const QString &key)
{
    // The widgets already show `after`: no rebuild under the sender's feet.
    // But a move to another model involves another model's success rate:
    // its editor is built once the sender's signal has returned.
    const bool newModels = involvedModels(after) != involvedModels(m_levers);
    m_builtKey = structureKey(after);
    Q_EMIT edited(after, text, key);
    if (newModels)
        QTimer::singleShot(0, this, [this] {
            m_builtKey.clear();
            rebuild();
        });
}

void ModelMixEditor::addMove()
{
    sim::Levers l = m_levers;
    sim::ModelMove m;
    m.from = m_logged.isEmpty() ? std::string() : m_logged.first().toStdString();
    for (const QString &p : m_priced)
        if (p.toStdString() != m.from) {
            m.to = p.toStdString();
            break;
        }
    m.share = 0.5;
    l.modelMix.push_back(m);
    Q_EMIT edited(l, tr("Add a move"), {});
}

QComboBox *ModelMixEditor::fromCombo(int move) const
{
    return move < int(m_rowWidgets.size()) ? m_rowWidgets[size_t(move)].from : nullptr;
}

QComboBox *ModelMixEditor::toCombo(int move) const
{
    return move < int(m_rowWidgets.size()) ? m_rowWidgets[size_t(move)].to : nullptr;
}

LeverEditor *ModelMixEditor::shareEditor(int move) const
{
    return move < int(m_rowWidgets.size()) ? m_rowWidgets[size_t(move)].share : nullptr;
}

void ModelMixEditor::rebuild()
{
    if (m_rows) {
        m_rows->hide();
        m_rows->deleteLater();
    }
    m_rowWidgets.clear();
    m_quality.clear();
    m_rows = new QWidget(this);
    auto *grid = new QGridLayout(m_rows);
    grid->setContentsMargins(0, 0, 0, 0);
    int row = 0;
    const auto specs = sim::LeverRegistry::forScenario(m_levers);
    const auto specOf = [&](const std::string &path) {
        for (const auto &s : specs)
            if (s.path == path)
                return s;
        return specs.front();
    };
    for (size_t i = 0; i < m_levers.modelMix.size(); ++i) {
        const sim::ModelMove &mv = m_levers.modelMix[i];
        auto *line = new QHBoxLayout;
        auto *from = new QComboBox(m_rows);
        auto *to = new QComboBox(m_rows);
        from->setObjectName(QStringLiteral("moveFrom%1").arg(i));
        to->setObjectName(QStringLiteral("moveTo%1").arg(i));
        compact(from);
        compact(to);
        fill(from, m_logged, mv.from);
        fill(to, m_priced, mv.to);
        auto *remove = new QToolButton(m_rows);
        remove->setText(QStringLiteral("✕"));
        remove->setAutoRaise(true);
        remove->setToolTip(tr("Remove this move"));
        line->addWidget(from, 1);
        line->addWidget(new QLabel(QStringLiteral("→"), m_rows));
        line->addWidget(to, 1);
        line->addWidget(remove);
        grid->addLayout(line, row++, 0, 1, 5);
        const auto base = "model_mix[" + std::to_string(i) + "].";
        // The row above names the models; the levers need only say what they move.
        sim::LeverSpec shareSpec = specOf(base + "share");
        shareSpec.label = tr("Share of calls moved").toStdString();
        sim::LeverSpec ratioSpec = specOf(base + "output_token_ratio");
        ratioSpec.label = tr("Output tokens on the new model").toStdString();
        auto *share = new LeverEditor(shareSpec, grid, row++, m_rows);
        auto *ratio = new LeverEditor(ratioSpec, grid, row++, m_rows);
        // Scope: agents, teams and features, each a comma-separated list
        // (empty: all); all three apply together.
        struct ScopeField
        {
            const char *label, *placeholder, *name;
            std::vector<std::string> sim::Scope::*names;
        };
        const ScopeField fields[] = {
            {QT_TR_NOOP("Only agents"), QT_TR_NOOP("every agent (or: names, comma separated)"),
             "moveAgents", &sim::Scope::agent},
            {QT_TR_NOOP("Only teams"), QT_TR_NOOP("every team"), "moveTeams", &sim::Scope::team},
            {QT_TR_NOOP("Only features"), QT_TR_NOOP("every feature"), "moveFeatures",
             &sim::Scope::feature}};
        std::vector<std::pair<QLineEdit *, std::vector<std::string> sim::Scope::*>> scopeEdits;
        for (const ScopeField &f : fields) {
            auto *edit = new QLineEdit(joined(mv.scope.*f.names), m_rows);
            edit->setPlaceholderText(tr(f.placeholder));
            edit->setObjectName(QString::fromLatin1(f.name) + QString::number(i));
            grid->addWidget(new QLabel(tr(f.label), m_rows), row, 0);
            grid->addWidget(edit, row++, 1, 1, 4);
            scopeEdits.emplace_back(edit, f.names);
        }
        m_rowWidgets.push_back({from, to, share, ratio});

        const auto changeMove = [this, i](const std::function<void(sim::ModelMove &)> &f,
                                          const QString &text) {
            sim::Levers l = m_levers;
            if (i >= l.modelMix.size())
                return;
            f(l.modelMix[i]);
            emitEdit(l, text);
        };
        connect(from, &QComboBox::currentTextChanged, this, [changeMove](const QString &m) {
            changeMove([&](sim::ModelMove &x) { x.from = m.toStdString(); },
                       tr("Move from %1").arg(m));
        });
        connect(to, &QComboBox::currentTextChanged, this, [changeMove](const QString &m) {
            changeMove([&](sim::ModelMove &x) { x.to = m.toStdString(); }, tr("Move to %1").arg(m));
        });
        for (const auto &[edit, names] : scopeEdits)
            connect(edit, &QLineEdit::editingFinished, this,
                    [changeMove, edit = edit, names = names] {
                        changeMove([&](sim::ModelMove &x) { x.scope.*names = split(edit->text()); },
                                   tr("Scope of a move"));
                    });
        connect(remove, &QToolButton::clicked, this, [this, i] {
            sim::Levers l = m_levers;
            if (i < l.modelMix.size())
                l.modelMix.erase(l.modelMix.begin() + long(i));
            Q_EMIT edited(l, tr("Remove a move"), {});
        });
        for (LeverEditor *e : {share, ratio})
            connect(e, &LeverEditor::edited, this,
                    [this, e](const QString &path, std::optional<double> v, bool merge) {
                        sim::Levers l = m_levers;
                        e->spec().set(l, v);
                        emitEdit(l, QString::fromStdString(e->spec().label),
                                 merge ? path : QString());
                    });
    }
    // Success rate of each model a move or the cascade involves.
    for (const auto &model : involvedModels(m_levers)) {
        sim::LeverSpec spec;
        spec.path = "quality." + model;
        spec.group = "Model mix";
        spec.label = tr("%1 success").arg(ChartFactory::shortModelName(model)).toStdString();
        spec.unit = "share";
        spec.min = 0;
        spec.max = 1;
        spec.nullable = true;
        auto *q = new LeverEditor(spec, grid, row++, m_rows);
        auto it = m_observedQuality.find(model);
        q->setObserved(it == m_observedQuality.end() ? std::optional<double>() : it->second);
        q->setValue(spec.get(m_levers));
        m_quality.push_back(q);
        connect(q, &LeverEditor::edited, this,
                [this, model](const QString &path, std::optional<double> v, bool merge) {
                    sim::Levers l = m_levers;
                    if (v)
                        l.quality[model] = *v;
                    else
                        l.quality.erase(model);
                    emitEdit(l, tr("%1 success rate").arg(QString::fromStdString(model)),
                             merge ? path : QString());
                });
    }
    m_layout->insertWidget(0, m_rows);
    m_builtKey = structureKey(m_levers);
}

LeverEditor *ModelMixEditor::qualityEditor(const std::string &model) const
{
    for (LeverEditor *q : m_quality)
        if (q->spec().path == "quality." + model)
            return q;
    return nullptr;
}

} // namespace tl
