// Overloaded: lambdas as one visitor, for std::visit over a variant ("the overload pattern").
#pragma once

namespace switchyard {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace switchyard
