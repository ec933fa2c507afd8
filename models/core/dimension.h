#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tl {

// The attribution dimensions a call is filed under. Values are stored in the
// dims table's `kind` column: never renumber.
enum class Dimension : int {
    Provider = 1,
    Model = 2,
    Team = 3,
    Feature = 4,
    Agent = 5,
    User = 6,
    Task = 7,
    Status = 8,
};

inline constexpr std::array<Dimension, 8> kAllDimensions = {
    Dimension::Provider, Dimension::Model, Dimension::Team, Dimension::Feature,
    Dimension::Agent,    Dimension::User,  Dimension::Task, Dimension::Status};

std::string_view dimensionName(Dimension d);
std::optional<Dimension> dimensionFromName(std::string_view name);
// Column of the calls table (and of rollups that carry it) holding the id.
std::string_view dimensionColumn(Dimension d);

} // namespace tl
