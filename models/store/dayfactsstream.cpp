#include "dayfactsstream.h"

#include "core/timeutil.h"
#include "database.h"

namespace tl {

using namespace DayFactsTable;

DayFactsStream::DayFactsStream(Database &db)
    : m_db(db)
{
    Statement st(db, "SELECT DISTINCT day FROM rollup_day");
    while (st.step())
        m_heldDays.insert(st.columnInt(0));
}

DayFactsStream::~DayFactsStream() = default;

void DayFactsStream::add(const FactCall &c)
{
    if (m_fellBack)
        return;
    if (m_open.empty()) {
        if (m_started)
            return giveUp(); // (a call after finish())
        open(c.day);
    } else if (c.day > m_open.back().day) {
        const int64_t last = m_open.back().day;
        // A day that held calls is recounted with its neighbours, and a
        // day the stream skips over would need its neighbours' rows from
        // the store (whose indexes an import may have dropped): give up.
        if (held(c.day) || (c.day > last + 1 && (held(last + 1) || held(c.day - 1))))
            return giveUp();
        while (!m_open.empty() && m_open.front().day < c.day - 1)
            close();
        open(c.day);
    } else if (c.day != m_open.back().day && c.day != m_open.front().day) {
        return giveUp(); // a day already closed, or one the stream stepped over
    } else if (m_open.size() == 2 && c.day == m_open.back().day &&
               c.ts - c.day * kMsPerDay >= kLateCallMs) {
        // An hour into the next day the day before closes: held open until
        // the day after, three days' counts were in memory at once (a
        // 100M-call month's import peaked at 1.15 GB, the recount's 0.82).
        close();
    }
    OpenDay &d = c.day == m_open.back().day ? m_open.back() : m_open.front();
    if (!d.recounted) {
        d.counter.add(c);
        return;
    }
    if (c.hashed && !c.failed)
        d.answers.push_back({c.agent, c.hash, c.ts});
    if (c.task != 0)
        d.ids.add(c.task);
}

void DayFactsStream::open(int64_t day)
{
    OpenDay &d = m_open.emplace_back();
    d.day = day;
    if (m_started)
        return;
    m_started = true;
    // The first day. Whatever it is, the day before must keep the tasks
    // that go on into it: recounted when it holds calls.
    if (held(day - 1))
        m_recount.push_back(day - 1);
    if (held(day)) {
        // It held calls already (a log rotated during a day): recounted
        // too. It collects the look-back the next day needs: the stored
        // calls' answers and task ids, read now, before the import drops
        // the calls' indexes, and the file's as they come.
        d.recounted = true;
        readAnswers(m_db, day, d.answers, d.ids);
        m_recount.push_back(day);
    } else if (held(day - 1)) {
        // Its look-back is in the store.
        readEarlier(m_db, d.counter, day - 1, {}, &m_landedIds);
        m_landedIds.seal();
        m_landedDay = day - 1;
    }
}

void DayFactsStream::close()
{
    OpenDay d = std::move(m_open.front());
    m_open.pop_front();
    if (d.recounted) {
        m_answersDay = d.day;
        m_answers = std::move(d.answers);
        d.ids.seal();
        m_landedDay = d.day;
        m_landedIds = std::move(d.ids);
        return; // the recount writes its rows
    }
    // The day before's answers are its count's: landed first.
    if (m_counting)
        land(m_counting->get());
    if (m_answersDay == d.day - 1)
        for (const Answer &a : m_answers)
            d.counter.addEarlier(a.agent, a.hash, a.ts);
    m_answers = {};
    m_answersDay = INT64_MIN;
    m_counting =
        std::async(std::launch::async, [day = d.day, counter = std::move(d.counter)]() mutable {
            Counted c;
            c.day = day;
            c.facts = counter.finish(&c.tasks, &c.answers);
            c.ids.ids.reserve(c.tasks.size());
            for (const TaskDay &t : c.tasks)
                c.ids.add(t.task);
            c.ids.seal();
            return c;
        });
}

void DayFactsStream::land(Counted &&c)
{
    m_answersDay = c.day;
    m_answers = std::move(c.answers);
    writeFacts(m_db, c.day, c.facts);
    if (m_pending.day != INT64_MIN)
        writeTasks(m_db, m_pending, m_pending.day == c.day - 1 ? TaskIds(c.ids) : TaskIds{});
    m_pending = PendingTasks{c.day, std::move(c.tasks),
                             m_landedDay == c.day - 1 ? std::move(m_landedIds) : TaskIds{}};
    m_landedDay = c.day;
    m_landedIds = std::move(c.ids);
}

std::vector<int64_t> DayFactsStream::finish()
{
    if (m_fellBack)
        return {};
    while (!m_open.empty())
        close();
    if (m_counting) {
        land(m_counting->get());
        m_counting.reset();
    }
    // The day after the last: its look-back changed, and the last day's
    // tasks need its ids.
    const int64_t last = m_landedDay;
    if (last != INT64_MIN && held(last + 1)) {
        if (m_pending.day == last)
            m_recount.push_back(last);
        m_recount.push_back(last + 1);
    } else if (m_pending.day != INT64_MIN) {
        writeTasks(m_db, m_pending, {});
    }
    m_pending = {};
    return m_recount;
}

void DayFactsStream::giveUp()
{
    m_fellBack = true;
    m_open.clear();
    m_answers = {};
    m_counting.reset(); // waits for a day being counted
    m_landedIds = {};
    m_pending = {};
    m_heldDays.clear();
    m_recount.clear();
}

} // namespace tl
