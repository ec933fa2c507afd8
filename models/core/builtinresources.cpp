#include "builtinresources.h"

#include <QtGlobal>

#include <mutex>

static void initTokenledgerResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace tl {

void ensureBuiltinResources()
{
    static std::once_flag once;
    std::call_once(once, initTokenledgerResources);
}

} // namespace tl
