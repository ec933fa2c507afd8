#include "dimension.h"

namespace tl {

std::string_view dimensionName(Dimension d)
{
    switch (d) {
    case Dimension::Provider:
        return "provider";
    case Dimension::Model:
        return "model";
    case Dimension::Team:
        return "team";
    case Dimension::Feature:
        return "feature";
    case Dimension::Agent:
        return "agent";
    case Dimension::User:
        return "user";
    case Dimension::Task:
        return "task";
    case Dimension::Status:
        return "status";
    }
    return "?";
}

std::optional<Dimension> dimensionFromName(std::string_view name)
{
    for (Dimension d : kAllDimensions)
        if (dimensionName(d) == name)
            return d;
    return std::nullopt;
}

std::string_view dimensionColumn(Dimension d)
{
    switch (d) {
    case Dimension::Provider:
        return "provider_id";
    case Dimension::Model:
        return "model_id";
    case Dimension::Team:
        return "team_id";
    case Dimension::Feature:
        return "feature_id";
    case Dimension::Agent:
        return "agent_id";
    case Dimension::User:
        return "user_id";
    case Dimension::Task:
        return "task_id";
    case Dimension::Status:
        return "status_id";
    }
    return "?";
}

} // namespace tl
