/*
 * tpch_dists.c -- the word lists and weights of dists.dss, which are part of
 * the TPC-H specification (section 4.2.2.13 and the dists.dss file that ships
 * with it), as constant tables.
 *
 * For each distribution: the values, their lengths, the cumulative weights
 * and, for weighted lists, a pick table that maps a draw in [0, total) to the
 * value whose cumulative weight first exceeds it (dbgen's pick_str, without
 * the search). Uniform lists (all weights 1) have no pick table: the draw is
 * the index. p_types and p_cntr are the products of their syllables, listed
 * in dists.dss order. The tables below were produced from dists.dss by a
 * script; edit the data there, not by hand.
 */
#include <stddef.h>

#include "datagen/tpch_internal.h"

/* nations */
static const char *const NATIONS_V[] = {
    "ALGERIA", "ARGENTINA", "BRAZIL",         "CANADA",        "EGYPT", "ETHIOPIA", "FRANCE",
    "GERMANY", "INDIA",     "INDONESIA",      "IRAN",          "IRAQ",  "JAPAN",    "JORDAN",
    "KENYA",   "MOROCCO",   "MOZAMBIQUE",     "PERU",          "CHINA", "ROMANIA",  "SAUDI ARABIA",
    "VIETNAM", "RUSSIA",    "UNITED KINGDOM", "UNITED STATES",
};
static const uint8_t NATIONS_L[] = {
    7, 9, 6, 6, 5, 8, 6, 7, 5, 9, 4, 4, 5, 6, 5, 7, 10, 4, 5, 7, 12, 7, 6, 14, 13,
};
/* not weights: the region key of each nation (dists.dss stores them as
 * adjustments that add up to the region key) */
static const int32_t NATIONS_W[] = {
    0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4, 2, 3, 3, 1,
};

/* regions */
static const char *const REGIONS_V[] = {
    "AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST",
};
static const uint8_t REGIONS_L[] = {
    6, 7, 4, 6, 11,
};

/* colors */
static const char *const COLORS_V[] = {
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow",
};
static const uint8_t COLORS_L[] = {
    6, 7, 10, 5, 5, 6, 5, 8, 4, 5, 5, 9, 9, 10, 7, 9, 5, 10, 8, 5, 4, 4, 4, 3, 6, 4, 9, 6, 6, 7, 9,
    5, 9, 5,  4, 8, 3, 6, 5, 5, 4, 8, 4, 5, 5,  4, 5, 7, 6,  6, 8, 8, 4, 5, 8, 6, 4, 5, 6, 6, 4, 6,
    5, 4, 4,  4, 6, 4, 6, 3, 4, 4, 5, 6, 6, 5,  8, 6, 3, 5,  5, 4, 6, 5, 3, 7, 6, 9, 6, 5, 5, 6,
};

/* p_types */
static const char *const P_TYPES_V[] = {
    "STANDARD ANODIZED TIN",     "STANDARD ANODIZED NICKEL", "STANDARD ANODIZED BRASS",
    "STANDARD ANODIZED STEEL",   "STANDARD ANODIZED COPPER", "STANDARD BURNISHED TIN",
    "STANDARD BURNISHED NICKEL", "STANDARD BURNISHED BRASS", "STANDARD BURNISHED STEEL",
    "STANDARD BURNISHED COPPER", "STANDARD PLATED TIN",      "STANDARD PLATED NICKEL",
    "STANDARD PLATED BRASS",     "STANDARD PLATED STEEL",    "STANDARD PLATED COPPER",
    "STANDARD POLISHED TIN",     "STANDARD POLISHED NICKEL", "STANDARD POLISHED BRASS",
    "STANDARD POLISHED STEEL",   "STANDARD POLISHED COPPER", "STANDARD BRUSHED TIN",
    "STANDARD BRUSHED NICKEL",   "STANDARD BRUSHED BRASS",   "STANDARD BRUSHED STEEL",
    "STANDARD BRUSHED COPPER",   "SMALL ANODIZED TIN",       "SMALL ANODIZED NICKEL",
    "SMALL ANODIZED BRASS",      "SMALL ANODIZED STEEL",     "SMALL ANODIZED COPPER",
    "SMALL BURNISHED TIN",       "SMALL BURNISHED NICKEL",   "SMALL BURNISHED BRASS",
    "SMALL BURNISHED STEEL",     "SMALL BURNISHED COPPER",   "SMALL PLATED TIN",
    "SMALL PLATED NICKEL",       "SMALL PLATED BRASS",       "SMALL PLATED STEEL",
    "SMALL PLATED COPPER",       "SMALL POLISHED TIN",       "SMALL POLISHED NICKEL",
    "SMALL POLISHED BRASS",      "SMALL POLISHED STEEL",     "SMALL POLISHED COPPER",
    "SMALL BRUSHED TIN",         "SMALL BRUSHED NICKEL",     "SMALL BRUSHED BRASS",
    "SMALL BRUSHED STEEL",       "SMALL BRUSHED COPPER",     "MEDIUM ANODIZED TIN",
    "MEDIUM ANODIZED NICKEL",    "MEDIUM ANODIZED BRASS",    "MEDIUM ANODIZED STEEL",
    "MEDIUM ANODIZED COPPER",    "MEDIUM BURNISHED TIN",     "MEDIUM BURNISHED NICKEL",
    "MEDIUM BURNISHED BRASS",    "MEDIUM BURNISHED STEEL",   "MEDIUM BURNISHED COPPER",
    "MEDIUM PLATED TIN",         "MEDIUM PLATED NICKEL",     "MEDIUM PLATED BRASS",
    "MEDIUM PLATED STEEL",       "MEDIUM PLATED COPPER",     "MEDIUM POLISHED TIN",
    "MEDIUM POLISHED NICKEL",    "MEDIUM POLISHED BRASS",    "MEDIUM POLISHED STEEL",
    "MEDIUM POLISHED COPPER",    "MEDIUM BRUSHED TIN",       "MEDIUM BRUSHED NICKEL",
    "MEDIUM BRUSHED BRASS",      "MEDIUM BRUSHED STEEL",     "MEDIUM BRUSHED COPPER",
    "LARGE ANODIZED TIN",        "LARGE ANODIZED NICKEL",    "LARGE ANODIZED BRASS",
    "LARGE ANODIZED STEEL",      "LARGE ANODIZED COPPER",    "LARGE BURNISHED TIN",
    "LARGE BURNISHED NICKEL",    "LARGE BURNISHED BRASS",    "LARGE BURNISHED STEEL",
    "LARGE BURNISHED COPPER",    "LARGE PLATED TIN",         "LARGE PLATED NICKEL",
    "LARGE PLATED BRASS",        "LARGE PLATED STEEL",       "LARGE PLATED COPPER",
    "LARGE POLISHED TIN",        "LARGE POLISHED NICKEL",    "LARGE POLISHED BRASS",
    "LARGE POLISHED STEEL",      "LARGE POLISHED COPPER",    "LARGE BRUSHED TIN",
    "LARGE BRUSHED NICKEL",      "LARGE BRUSHED BRASS",      "LARGE BRUSHED STEEL",
    "LARGE BRUSHED COPPER",      "ECONOMY ANODIZED TIN",     "ECONOMY ANODIZED NICKEL",
    "ECONOMY ANODIZED BRASS",    "ECONOMY ANODIZED STEEL",   "ECONOMY ANODIZED COPPER",
    "ECONOMY BURNISHED TIN",     "ECONOMY BURNISHED NICKEL", "ECONOMY BURNISHED BRASS",
    "ECONOMY BURNISHED STEEL",   "ECONOMY BURNISHED COPPER", "ECONOMY PLATED TIN",
    "ECONOMY PLATED NICKEL",     "ECONOMY PLATED BRASS",     "ECONOMY PLATED STEEL",
    "ECONOMY PLATED COPPER",     "ECONOMY POLISHED TIN",     "ECONOMY POLISHED NICKEL",
    "ECONOMY POLISHED BRASS",    "ECONOMY POLISHED STEEL",   "ECONOMY POLISHED COPPER",
    "ECONOMY BRUSHED TIN",       "ECONOMY BRUSHED NICKEL",   "ECONOMY BRUSHED BRASS",
    "ECONOMY BRUSHED STEEL",     "ECONOMY BRUSHED COPPER",   "PROMO ANODIZED TIN",
    "PROMO ANODIZED NICKEL",     "PROMO ANODIZED BRASS",     "PROMO ANODIZED STEEL",
    "PROMO ANODIZED COPPER",     "PROMO BURNISHED TIN",      "PROMO BURNISHED NICKEL",
    "PROMO BURNISHED BRASS",     "PROMO BURNISHED STEEL",    "PROMO BURNISHED COPPER",
    "PROMO PLATED TIN",          "PROMO PLATED NICKEL",      "PROMO PLATED BRASS",
    "PROMO PLATED STEEL",        "PROMO PLATED COPPER",      "PROMO POLISHED TIN",
    "PROMO POLISHED NICKEL",     "PROMO POLISHED BRASS",     "PROMO POLISHED STEEL",
    "PROMO POLISHED COPPER",     "PROMO BRUSHED TIN",        "PROMO BRUSHED NICKEL",
    "PROMO BRUSHED BRASS",       "PROMO BRUSHED STEEL",      "PROMO BRUSHED COPPER",
};
static const uint8_t P_TYPES_L[] = {
    21, 24, 23, 23, 24, 22, 25, 24, 24, 25, 19, 22, 21, 21, 22, 21, 24, 23, 23, 24, 20, 23,
    22, 22, 23, 18, 21, 20, 20, 21, 19, 22, 21, 21, 22, 16, 19, 18, 18, 19, 18, 21, 20, 20,
    21, 17, 20, 19, 19, 20, 19, 22, 21, 21, 22, 20, 23, 22, 22, 23, 17, 20, 19, 19, 20, 19,
    22, 21, 21, 22, 18, 21, 20, 20, 21, 18, 21, 20, 20, 21, 19, 22, 21, 21, 22, 16, 19, 18,
    18, 19, 18, 21, 20, 20, 21, 17, 20, 19, 19, 20, 20, 23, 22, 22, 23, 21, 24, 23, 23, 24,
    18, 21, 20, 20, 21, 20, 23, 22, 22, 23, 19, 22, 21, 21, 22, 18, 21, 20, 20, 21, 19, 22,
    21, 21, 22, 16, 19, 18, 18, 19, 18, 21, 20, 20, 21, 17, 20, 19, 19, 20,
};

/* p_cntr */
static const char *const P_CNTR_V[] = {
    "SM CASE",    "SM BOX",    "SM BAG",    "SM JAR",     "SM PACK",   "SM PKG",    "SM CAN",
    "SM DRUM",    "LG CASE",   "LG BOX",    "LG BAG",     "LG JAR",    "LG PACK",   "LG PKG",
    "LG CAN",     "LG DRUM",   "MED CASE",  "MED BOX",    "MED BAG",   "MED JAR",   "MED PACK",
    "MED PKG",    "MED CAN",   "MED DRUM",  "JUMBO CASE", "JUMBO BOX", "JUMBO BAG", "JUMBO JAR",
    "JUMBO PACK", "JUMBO PKG", "JUMBO CAN", "JUMBO DRUM", "WRAP CASE", "WRAP BOX",  "WRAP BAG",
    "WRAP JAR",   "WRAP PACK", "WRAP PKG",  "WRAP CAN",   "WRAP DRUM",
};
static const uint8_t P_CNTR_L[] = {
    7, 6, 6, 6, 7,  6, 6, 7, 7,  6, 6, 6,  7, 6, 6, 7, 8, 7, 7, 7,
    8, 7, 7, 8, 10, 9, 9, 9, 10, 9, 9, 10, 9, 8, 8, 8, 9, 8, 8, 9,
};

/* msegmnt */
static const char *const MSEGMNT_V[] = {
    "AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY",
};
static const uint8_t MSEGMNT_L[] = {
    10, 8, 9, 9, 9,
};

/* o_oprio */
static const char *const O_OPRIO_V[] = {
    "1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW",
};
static const uint8_t O_OPRIO_L[] = {
    8, 6, 8, 15, 5,
};

/* instruct */
static const char *const INSTRUCT_V[] = {
    "DELIVER IN PERSON",
    "COLLECT COD",
    "TAKE BACK RETURN",
    "NONE",
};
static const uint8_t INSTRUCT_L[] = {
    17,
    11,
    16,
    4,
};

/* smode */
static const char *const SMODE_V[] = {
    "REG AIR", "AIR", "RAIL", "TRUCK", "MAIL", "FOB", "SHIP",
};
static const uint8_t SMODE_L[] = {
    7, 3, 4, 5, 4, 3, 4,
};

/* rflag */
static const char *const RFLAG_V[] = {
    "R",
    "A",
};
static const uint8_t RFLAG_L[] = {
    1,
    1,
};

/* nouns */
static const char *const NOUNS_V[] = {
    "packages",    "requests",    "accounts",       "deposits",     "foxes",     "ideas",
    "theodolites", "pinto beans", "instructions",   "dependencies", "excuses",   "platelets",
    "asymptotes",  "courts",      "dolphins",       "multipliers",  "sauternes", "warthogs",
    "frets",       "dinos",       "attainments",    "somas",        "Tiresias",  "patterns",
    "forges",      "braids",      "frays",          "warhorses",    "dugouts",   "notornis",
    "epitaphs",    "pearls",      "tithes",         "waters",       "orbits",    "gifts",
    "sheaves",     "depths",      "sentiments",     "decoys",       "realms",    "pains",
    "grouches",    "escapades",   "hockey players",
};
static const uint8_t NOUNS_L[] = {
    8, 8, 8, 8, 5, 5, 11, 11, 12, 12, 7, 9, 10, 6, 8, 11, 9, 8, 5, 5, 11, 5,  8,
    8, 6, 6, 5, 9, 7, 8,  8,  6,  6,  6, 6, 5,  7, 6, 10, 6, 6, 5, 8, 9,  14,
};
static const int32_t NOUNS_W[] = {
    40,  80,  120, 160, 180, 200, 220, 240, 260, 270, 280, 290, 300, 305, 310,
    311, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 322, 323, 324, 325,
    326, 327, 328, 329, 330, 331, 332, 333, 334, 335, 336, 337, 338, 339, 340,
};
static const uint8_t NOUNS_P[] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  1,  1,  1,  1,  1,  1,
    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,
    2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,
    2,  2,  2,  2,  2,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,
    3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  4,
    4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  5,  5,  5,  5,
    5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  6,  6,  6,  6,  6,  6,  6,
    6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
    7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
    8,  8,  8,  8,  8,  8,  8,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44,
};

/* verbs */
static const char *const VERBS_V[] = {
    "sleep",  "wake",   "are",       "cajole",   "haggle", "nag",   "use",     "boost",
    "affix",  "detect", "integrate", "maintain", "nod",    "was",   "lose",    "sublate",
    "solve",  "thrash", "promise",   "engage",   "hinder", "print", "x-ray",   "breach",
    "eat",    "grow",   "impress",   "mold",     "poach",  "serve", "run",     "dazzle",
    "snooze", "doze",   "unwind",    "kindle",   "play",   "hang",  "believe", "doubt",
};
static const uint8_t VERBS_L[] = {
    5, 4, 3, 6, 6, 3, 3, 5, 5, 6, 9, 8, 3, 3, 4, 7, 5, 6, 7, 6,
    6, 5, 5, 6, 3, 4, 7, 4, 5, 5, 3, 6, 6, 4, 6, 6, 4, 4, 7, 5,
};
static const int32_t VERBS_W[] = {
    20,  40,  60,  80,  100, 110, 120, 130, 135, 140, 145, 146, 147, 148,
    149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162,
    163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174,
};
static const uint8_t VERBS_P[] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  1,  1,
    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  2,  2,  2,  2,
    2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  3,  3,  3,  3,  3,  3,
    3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  4,  4,  4,  4,  4,  4,  4,  4,
    4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,
    6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  8,  8,
    8,  8,  8,  9,  9,  9,  9,  9,  10, 10, 10, 10, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
};

/* adjectives */
static const char *const ADJECTIVES_V[] = {
    "special", "pending", "unusual",  "express",   "furious",  "sly",  "careful", "blithe",
    "quick",   "fluffy",  "slow",     "quiet",     "ruthless", "thin", "close",   "dogged",
    "daring",  "brave",   "stealthy", "permanent", "enticing", "idle", "busy",    "regular",
    "final",   "ironic",  "even",     "bold",      "silent",
};
static const uint8_t ADJECTIVES_L[] = {
    7, 7, 7, 7, 7, 3, 7, 6, 5, 6, 4, 5, 8, 4, 5, 6, 6, 5, 8, 9, 8, 4, 4, 7, 5, 6, 4, 4, 6,
};
static const int32_t ADJECTIVES_W[] = {
    20, 40, 60, 80, 81, 82, 83, 84, 85,  86,  87,  88,  89,  90,  91,
    92, 93, 94, 95, 96, 97, 98, 99, 149, 189, 229, 259, 279, 289,
};
static const uint8_t ADJECTIVES_P[] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  1,  1,  1,
    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  2,  2,  2,  2,  2,  2,
    2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  3,  3,  3,  3,  3,  3,  3,  3,  3,
    3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23,
    23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23,
    23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25,
    25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 26,
    26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
    26, 26, 26, 26, 26, 26, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27,
    27, 27, 27, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
};

/* adverbs */
static const char *const ADVERBS_V[] = {
    "sometimes", "always",    "never",   "furiously",  "slyly",       "carefully",  "blithely",
    "quickly",   "fluffily",  "slowly",  "quietly",    "ruthlessly",  "thinly",     "closely",
    "doggedly",  "daringly",  "bravely", "stealthily", "permanently", "enticingly", "idly",
    "busily",    "regularly", "finally", "ironically", "evenly",      "boldly",     "silently",
};
static const uint8_t ADVERBS_L[] = {
    9, 6, 5, 9, 5, 9, 8, 7, 8, 6, 7, 10, 6, 7, 8, 8, 7, 10, 11, 10, 4, 6, 9, 7, 10, 6, 6, 8,
};
static const int32_t ADVERBS_W[] = {
    1,   2,   3,   53,  103, 153, 193, 223, 243, 244, 245, 246, 247, 248,
    249, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260, 261, 262,
};
static const uint8_t ADVERBS_P[] = {
    0, 1, 2, 3, 3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3, 3,
    3, 3, 3, 3, 3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3, 3,
    3, 3, 3, 3, 3,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4, 4,
    4, 4, 4, 4, 4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4, 4,
    4, 4, 4, 4, 4,  4,  4,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5, 5,
    5, 5, 5, 5, 5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5, 5,
    5, 5, 5, 5, 5,  5,  5,  5,  5,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6, 6,
    6, 6, 6, 6, 6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6, 6,
    6, 7, 7, 7, 7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7, 7,
    7, 7, 7, 7, 7,  7,  7,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8, 8,
    8, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
};

/* articles */
static const char *const ARTICLES_V[] = {
    "the",
    "a",
    "an",
};
static const uint8_t ARTICLES_L[] = {
    3,
    1,
    2,
};
static const int32_t ARTICLES_W[] = {
    50,
    70,
    75,
};
static const uint8_t ARTICLES_P[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
};

/* prepositions */
static const char *const PREPOSITIONS_V[] = {
    "about",        "above",   "according to", "across",  "after",       "against", "along",
    "alongside of", "among",   "around",       "at",      "atop",        "before",  "behind",
    "beneath",      "beside",  "besides",      "between", "beyond",      "by",      "despite",
    "during",       "except",  "for",          "from",    "in place of", "inside",  "instead of",
    "into",         "near",    "of",           "on",      "outside",     "over",    "past",
    "since",        "through", "throughout",   "to",      "toward",      "under",   "until",
    "up",           "upon",    "whithout",     "with",    "within",
};
static const uint8_t PREPOSITIONS_L[] = {
    5, 5,  12, 6,  5, 7, 5, 12, 5, 6, 2, 4, 6, 6,  7, 6, 7, 7, 6, 2, 7, 6, 6, 3,
    4, 11, 6,  10, 4, 4, 2, 2,  7, 4, 4, 5, 7, 10, 2, 6, 5, 5, 2, 4, 8, 4, 6,
};
static const int32_t PREPOSITIONS_W[] = {
    50,  100, 150, 200, 250, 290, 330, 360, 390, 410, 420, 421, 422, 423, 424, 425,
    426, 427, 428, 429, 430, 431, 432, 433, 434, 435, 436, 437, 438, 439, 440, 441,
    442, 443, 444, 445, 446, 447, 448, 449, 450, 451, 452, 453, 454, 455, 456,
};
static const uint8_t PREPOSITIONS_P[] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
    1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
    1,  1,  1,  1,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,
    2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,
    2,  2,  2,  2,  2,  2,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,
    3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,
    3,  3,  3,  3,  3,  3,  3,  3,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,
    4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,
    4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,
    5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,
    5,  5,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,
    6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  6,  7,  7,  7,  7,  7,  7,
    7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,
    8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
    8,  8,  8,  8,  8,  8,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,
    9,  9,  10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
};

/* auxillaries */
static const char *const AUXILIARIES_V[] = {
    "do",           "may",          "might",         "shall",         "will",
    "would",        "can",          "could",         "should",        "ought to",
    "must",         "will have to", "shall have to", "could have to", "should have to",
    "must have to", "need to",      "try to",
};
static const uint8_t AUXILIARIES_L[] = {
    2, 3, 5, 5, 4, 5, 3, 5, 6, 8, 4, 12, 13, 13, 14, 12, 7, 6,
};

/* terminators */
static const char *const TERMINATORS_V[] = {
    ".", ";", ":", "?", "!", "--",
};
static const uint8_t TERMINATORS_L[] = {
    1, 1, 1, 1, 1, 2,
};
static const int32_t TERMINATORS_W[] = {
    50, 51, 52, 53, 54, 55,
};
static const uint8_t TERMINATORS_P[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5,
};

/* grammar */
static const char *const GRAMMAR_V[] = {
    "N V T", "N V P T", "N V N T", "N P V N T", "N P V P T",
};
static const uint8_t GRAMMAR_L[] = {
    5, 7, 7, 9, 9,
};
static const int32_t GRAMMAR_W[] = {
    3, 6, 9, 10, 11,
};
static const uint8_t GRAMMAR_P[] = {
    0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4,
};

/* np */
static const char *const NP_V[] = {
    "N",
    "J N",
    "J, J N",
    "D J N",
};
static const uint8_t NP_L[] = {
    1,
    3,
    6,
    5,
};
static const int32_t NP_W[] = {
    10,
    30,
    40,
    90,
};
static const uint8_t NP_P[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

/* vp */
static const char *const VP_V[] = {
    "V",
    "X V",
    "V D",
    "X V D",
};
static const uint8_t VP_L[] = {
    1,
    3,
    3,
    5,
};
static const int32_t VP_W[] = {
    30,
    31,
    71,
    72,
};
static const uint8_t VP_P[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3,
};

static const tpch_dist DISTS[TPCH_DIST_COUNT_] = {
    [TPCH_DIST_NATIONS] = {"nations", 25, NATIONS_V, NATIONS_L, NATIONS_W, 25, NULL},
    [TPCH_DIST_REGIONS] = {"regions", 5, REGIONS_V, REGIONS_L, NULL, 5, NULL},
    [TPCH_DIST_COLORS] = {"colors", 92, COLORS_V, COLORS_L, NULL, 92, NULL},
    [TPCH_DIST_P_TYPES] = {"p_types", 150, P_TYPES_V, P_TYPES_L, NULL, 150, NULL},
    [TPCH_DIST_P_CNTR] = {"p_cntr", 40, P_CNTR_V, P_CNTR_L, NULL, 40, NULL},
    [TPCH_DIST_MSEGMNT] = {"msegmnt", 5, MSEGMNT_V, MSEGMNT_L, NULL, 5, NULL},
    [TPCH_DIST_O_OPRIO] = {"o_oprio", 5, O_OPRIO_V, O_OPRIO_L, NULL, 5, NULL},
    [TPCH_DIST_INSTRUCT] = {"instruct", 4, INSTRUCT_V, INSTRUCT_L, NULL, 4, NULL},
    [TPCH_DIST_SMODE] = {"smode", 7, SMODE_V, SMODE_L, NULL, 7, NULL},
    [TPCH_DIST_RFLAG] = {"rflag", 2, RFLAG_V, RFLAG_L, NULL, 2, NULL},
    [TPCH_DIST_NOUNS] = {"nouns", 45, NOUNS_V, NOUNS_L, NOUNS_W, 340, NOUNS_P},
    [TPCH_DIST_VERBS] = {"verbs", 40, VERBS_V, VERBS_L, VERBS_W, 174, VERBS_P},
    [TPCH_DIST_ADJECTIVES] = {"adjectives", 29, ADJECTIVES_V, ADJECTIVES_L, ADJECTIVES_W, 289,
                              ADJECTIVES_P},
    [TPCH_DIST_ADVERBS] = {"adverbs", 28, ADVERBS_V, ADVERBS_L, ADVERBS_W, 262, ADVERBS_P},
    [TPCH_DIST_ARTICLES] = {"articles", 3, ARTICLES_V, ARTICLES_L, ARTICLES_W, 75, ARTICLES_P},
    [TPCH_DIST_PREPOSITIONS] = {"prepositions", 47, PREPOSITIONS_V, PREPOSITIONS_L, PREPOSITIONS_W,
                                456, PREPOSITIONS_P},
    [TPCH_DIST_AUXILIARIES] = {"auxillaries", 18, AUXILIARIES_V, AUXILIARIES_L, NULL, 18, NULL},
    [TPCH_DIST_TERMINATORS] = {"terminators", 6, TERMINATORS_V, TERMINATORS_L, TERMINATORS_W, 55,
                               TERMINATORS_P},
    [TPCH_DIST_GRAMMAR] = {"grammar", 5, GRAMMAR_V, GRAMMAR_L, GRAMMAR_W, 11, GRAMMAR_P},
    [TPCH_DIST_NP] = {"np", 4, NP_V, NP_L, NP_W, 90, NP_P},
    [TPCH_DIST_VP] = {"vp", 4, VP_V, VP_L, VP_W, 72, VP_P},
};

const tpch_dist *tpch_dist_get(tpch_dist_id id) { return &DISTS[id]; }
