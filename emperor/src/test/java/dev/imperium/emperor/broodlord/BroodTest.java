package dev.imperium.emperor.broodlord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BroodTest {
    private final Set<String> vassals = new HashSet<>(Set.of("app.ini", "api.ini"));

    private Brood.Decision sos(Brood brood, String vassal) {
        Brood.Decision d = brood.sos(vassal, vassals::contains);
        if (d instanceof Brood.Spawn spawn) {
            vassals.add(spawn.name());
        }
        return d;
    }

    @Test
    void aLordGetsZergsNamedAfterItUntilTheLimit() {
        Brood brood = new Brood(new BroodlordSettings(3));
        assertThat(sos(brood, "app.ini")).isEqualTo(new Brood.Spawn("app.ini:zerg", "app.ini:zerg",
                "going in broodlord mode: launching zergs for app.ini"));
        assertThat(sos(brood, "app.ini")).isEqualTo(new Brood.Spawn("app.ini:zerg#2", "app.ini:zerg",
                "going in broodlord mode: launching zergs for app.ini"));
        assertThat(sos(brood, "app.ini:zerg")).as("a zerg asks for its lord")
                .isEqualTo(new Brood.Spawn("app.ini:zerg#3", "app.ini:zerg",
                        "going in broodlord mode: launching zergs for app.ini"));
        assertThat(sos(brood, "api.ini")).as("the limit counts every lord's zergs")
                .isEqualTo(new Brood.Ignore(null));
        assertThat(brood.count()).isEqualTo(3);
        assertThat(brood.zergsOf("app.ini")).containsExactly("app.ini:zerg", "app.ini:zerg#2", "app.ini:zerg#3");
        assertThat(brood.configArgument("app.ini:zerg#2")).isEqualTo("app.ini:zerg");
        assertThat(brood.configArgument("api.ini")).isEqualTo("api.ini");
    }

    @Test
    void aZergThatIsGoneMakesRoomAndItsNameIsFree() {
        Brood brood = new Brood(new BroodlordSettings(1));
        sos(brood, "app.ini");
        assertThat(sos(brood, "api.ini")).isInstanceOf(Brood.Ignore.class);
        brood.gone("app.ini:zerg");
        vassals.remove("app.ini:zerg");
        assertThat(brood.isZerg("app.ini:zerg")).isFalse();
        assertThat(sos(brood, "api.ini")).isEqualTo(new Brood.Spawn("api.ini:zerg", "api.ini:zerg",
                "going in broodlord mode: launching zergs for api.ini"));
        brood.gone("api.ini"); // a lord's own end changes nothing here
        assertThat(brood.count()).isEqualTo(1);
    }

    @Test
    void offByDefaultAndSaidOncePerLord() {
        Brood brood = new Brood(BroodlordSettings.NONE);
        assertThat(sos(brood, "app.ini")).isEqualTo(new Brood.Ignore("vassal app.ini asks for reinforcements, but"
                + " broodlord mode is off (--emperor-broodlord N)"));
        assertThat(sos(brood, "app.ini")).isEqualTo(new Brood.Ignore(null));
        assertThatThrownBy(() -> new BroodlordSettings(-1)).hasMessageContaining("must not be negative");
    }

    @Test
    void zergNamesAreKnownForTheStats() {
        assertThat(Brood.isZergName("app.ini:zerg")).isTrue();
        assertThat(Brood.isZergName("app.ini:zerg#12")).isTrue();
        assertThat(Brood.isZergName("app.ini")).isFalse();
        assertThat(Brood.isZergName(":zerg")).isFalse();
    }
}
