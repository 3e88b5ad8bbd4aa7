// The words an Autotask error message may keep in a reason (errors.h): the vocabulary of its
// messages and the names of the fields and entities the connector writes. Autotask's messages
// echo values the request carried, and records of its own (a contact's name, an e-mail, a
// phone number), unquoted as often as quoted, so a message is kept word by word from this list
// and every other word is taken out: a value can only come through by being one of these words.
#pragma once

#include <string_view>

namespace switchyard::connectors::autotask {

// Case-insensitive; `word` without surrounding punctuation.
bool is_error_message_word(std::string_view word);

}  // namespace switchyard::connectors::autotask
