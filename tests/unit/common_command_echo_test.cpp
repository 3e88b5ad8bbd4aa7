// Which canonical records each command type changes (the echo marks dispatch records).
#include <gtest/gtest.h>

#include "common/command_echo.h"

namespace switchyard {
namespace {

Command command_of(CommandPayload payload) { return Command{"cmd-1", "acme", "", std::move(payload)}; }

TicketUpsert upsert() {
  TicketUpsert t;
  t.external_ref = "a-1";
  t.title = "Disk full";
  return t;
}

TEST(CommandEchoTest, EachCommandMarksTheRecordItWrote) {
  EXPECT_EQ(echo_records_of(command_of(upsert()), "42"),
            (std::vector<EchoRecord>{{"acme", "ticket", "42"}}));
  EXPECT_EQ(echo_records_of(command_of(TicketClose{"a-1", std::nullopt}), "42"),
            (std::vector<EchoRecord>{{"acme", "ticket", "42"}}));
  BillingLineAdd line;
  line.external_ref = "u-1";
  EXPECT_EQ(echo_records_of(command_of(line), "9"), (std::vector<EchoRecord>{{"acme", "billing_line", "9"}}));
  ConfigurationUpsert device;
  device.external_ref = "d-1";
  EXPECT_EQ(echo_records_of(command_of(device), "5"), (std::vector<EchoRecord>{{"acme", "configuration", "5"}}));
}

TEST(CommandEchoTest, ANoteMarksItselfAndItsTicketWhenKnown) {
  const Command note = command_of(TicketNoteAdd{"a-1", "n1", "Rebooted"});
  EXPECT_EQ(echo_records_of(note, "77", "42"),
            (std::vector<EchoRecord>{{"acme", "ticket_note", "77"}, {"acme", "ticket", "42"}}));
  EXPECT_EQ(echo_records_of(note, "77"), (std::vector<EchoRecord>{{"acme", "ticket_note", "77"}}));
  // The parent id means nothing for other commands, and no id means nothing to mark.
  EXPECT_EQ(echo_records_of(command_of(upsert()), "42", "43").size(), 1u);
  EXPECT_TRUE(echo_records_of(command_of(upsert()), "").empty());
}

}  // namespace
}  // namespace switchyard
