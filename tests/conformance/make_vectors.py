#!/usr/bin/env python3
"""Writes the rating conformance vectors of tests/conformance/vectors/.

A development tool: the JSON files it writes are committed, and the test
(ctest -R conformance) needs only the runner. Run it again after changing a
vector here: python3 tests/conformance/make_vectors.py

The expected results are written out by hand, or, for the grids (bands,
capability levels, maturity), computed here by a literal implementation of
the rule that is independent of assay's C++ code. docs/CONFORMANCE.md
describes the format.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Sources: a section of the domain brief (which cites the published
# documents) or of docs/RATING.md where the standard leaves a choice to the
# tool and assay states the one it makes.
S_BANDS = "DOMAIN.md 1.3: ISO/IEC 33020 rating scale N/P/L/F, lower bounds exclusive (Automotive SPICE PAM 3.1 Table 13)"
S_REFINED = "DOMAIN.md 1.4: ISO/IEC 33020 refined scale P-/P+/L-/L+ (Automotive SPICE PAM 3.1 Tables 14-15)"
S_VALUES = "docs/RATING.md 1: how assay reads a written value (typographic minus, folding, refusals)"
S_LEVEL = "DOMAIN.md 1.5: ISO/IEC 33020 capability level rule (Automotive SPICE PAM 3.1 3.2.3, Table 16)"
S_TARGET = "DOMAIN.md 1.5 (implementation notes): attributes above the target level are not assessed, never N"
S_MEAN = "DOMAIN.md 1.7: arithmetic mean of N0..F3 rounded half up (VDA Automotive SPICE Guidelines 2023 1.4.5)"
S_MEAN_REFINED = "DOMAIN.md 1.7: the refined scale maps N,P-,P+,L-,L+,F to 0..5 before the mean (ISO/IEC 33020 via BLOG-AGG)"
S_WEIGHTED = "DOMAIN.md 1.7: weighted mean of the instances with percentage weights (VDA Automotive SPICE Guidelines 2023 1.4.5)"
S_MEDIAN = "docs/RATING.md 3: median, the lower middle value for an even count (assay's choice; DOMAIN.md 9 question 2 leaves it open)"
S_MINIMUM = "docs/RATING.md 3: minimum, the lowest value (assay's conservative method)"
S_R1 = "DOMAIN.md 1.6: rating method R1, outcomes and achievements characterised per instance, then aggregated (ISO/IEC 33020 5.4 via Automotive SPICE PAM 3.1 3.2.2)"
S_R1_MATRIX = "DOMAIN.md 1.7: matrix aggregation of all characterisations over all instances (ISO/IEC 33020 via Automotive SPICE PAM 3.1 p.19)"
S_R1_DERIVED = "docs/RATING.md 2: an R1 statement without its own rating is characterised by the rounded mean of its rated indicators (DOMAIN.md 1.6, VDA guidelines 1.4.1.1)"
S_R2 = "DOMAIN.md 1.6: rating method R2, each attribute rated per instance, then aggregated (ISO/IEC 33020 via Automotive SPICE PAM 3.1 3.2.2)"
S_R3 = "DOMAIN.md 1.6: rating method R3, attribute ratings not aggregated across instances (ISO/IEC 33020 via Automotive SPICE PAM 3.1 3.2.2)"
S_TEAM = "docs/RATING.md 6: the consolidated rating counts; otherwise the lowest of differing assessors' values"
S_MATURITY = "docs/RATING.md 8 and DOMAIN.md 8: staged maturity, level n needs every process of the sets 1..n at capability level min(n, max(k, 3))"

STANDARD = ["N", "P", "L", "F"]
REFINED = ["N", "P-", "P+", "L-", "L+", "F"]
MINUS = "\u2212"


def write(name, description, vectors):
    ids = [v["id"] for v in vectors]
    assert len(ids) == len(set(ids)), name
    doc = {"format": "assay-conformance/1", "suite": name, "description": description, "vectors": vectors}
    with open(os.path.join(HERE, "vectors", name + ".json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return len(vectors)


def band(percent, refined):
    """The value of a percentage: lower bounds exclusive, 0 % in N."""
    edges = [(15, "N"), (32.5, "P-"), (50, "P+"), (67.5, "L-"), (85, "L+"), (100, "F")]
    for upper, value in edges:
        if percent <= upper:
            if not refined:
                value = value[0]
            return value
    raise ValueError(percent)


# ---------------------------------------------------------------- values
def value_vectors(scale):
    refined = scale == "refined"
    out = []
    n = 0

    def add(text, expect, rule, source):
        nonlocal n
        n += 1
        out.append({"id": "%s-%03d" % (scale, n), "rule": rule, "source": source, "kind": "value", "scale": scale,
                    "input": text, "expect": expect})

    grid = ["0", "0.000001", "7.5", "14.999999", "15", "15.000001", "15.0001", "20", "32.499999", "32.5",
            "32.500001", "40", "49.999999", "50", "50.000001", "60", "66.666667", "67.5", "67.500001", "75",
            "84.999999", "85", "85.000001", "99.999999", "100", "100.00000"]
    for p in grid:
        add(p + "%", {"value": band(float(p), refined)},
            "a percentage is placed in the band that includes its upper bound", S_REFINED if refined else S_BANDS)
    for bad in ["100.000001%", "101%", "-1%", "-0.5%", "15.0000001%", "1e2%", "%", "72"]:
        add(bad, {"error": True}, "a percentage is 0% to 100% with at most 6 decimal places", S_VALUES)
    if refined:
        for v in REFINED:
            add(v, {"value": v}, "a refined scale value is itself", S_REFINED)
        add("P" + MINUS, {"value": "P-"}, "the typographic minus U+2212 reads as '-'", S_VALUES)
        add("L" + MINUS, {"value": "L-"}, "the typographic minus U+2212 reads as '-'", S_VALUES)
        add("l+", {"value": "L+"}, "a value is read regardless of case and blanks", S_VALUES)
        add("P", {"error": True}, "plain P is ambiguous on the refined scale and refused", S_VALUES)
        add("L", {"error": True}, "plain L is ambiguous on the refined scale and refused", S_VALUES)
    else:
        for v in STANDARD:
            add(v, {"value": v}, "a standard scale value is itself", S_BANDS)
        for v in ["P-", "P+"]:
            add(v, {"value": "P"}, "a refined value folds on the standard scale: P-/P+ count as P", S_VALUES)
        for v in ["L-", "L+"]:
            add(v, {"value": "L"}, "a refined value folds on the standard scale: L-/L+ count as L", S_VALUES)
        add("L" + MINUS, {"value": "L"}, "the typographic minus U+2212 reads as '-' (L- folds to L)", S_VALUES)
        add(" f ", {"value": "F"}, "a value is read regardless of case and blanks", S_VALUES)
    for bad in ["Q", "F+", "N-", "F" + MINUS, ""]:
        add(bad, {"error": True}, "a value that is not on the scales is refused", S_VALUES)
    return out


# ---------------------------------------------------------------- capability
ATTRS = [("PA1.1", 1), ("PA2.1", 2), ("PA2.2", 2), ("PA3.1", 3), ("PA3.2", 3), ("PA4.1", 4), ("PA4.2", 4),
         ("PA5.1", 5), ("PA5.2", 5)]


def fold(v):
    return STANDARD.index(v[0]) if v else -1


def level_of(attrs, target):
    """DOMAIN.md 1.5 literally: the highest k whose attributes are >= L and all below are F."""
    level = 0
    for k in range(1, min(target, 5) + 1):
        at_k = [fold(attrs.get(a)) >= 2 for a, lv in ATTRS if lv == k]
        below = [fold(attrs.get(a)) == 3 for a, lv in ATTRS if lv < k]
        if all(at_k) and all(below):
            level = k
        else:
            break
    return level


def capability_vectors():
    out = []
    rows = [
        # (attributes by PA in order 1.1 2.1 2.2 3.1 3.2 4.1 4.2 5.1 5.2, target, scale, rule)
        ("L F F F F", 5, "standard", "PA 1.1 at L caps the process at level 1 (lower attributes must be F)"),
        ("F L L N N", 5, "standard", "level 2: PA 1.1 F, PA 2.1 and 2.2 at least L"),
        ("F F L F F", 5, "standard", "PA 2.2 not F caps at level 2"),
        ("F F F L L", 5, "standard", "level 3: lower attributes F, level 3 attributes at least L"),
        ("F F F F P", 5, "standard", "PA 3.2 below L fails level 3"),
        ("N", 5, "standard", "PA 1.1 at N: level 0"),
        ("P", 5, "standard", "PA 1.1 at P: level 0"),
        ("L", 5, "standard", "PA 1.1 at L: level 1"),
        ("F", 5, "standard", "PA 1.1 at F alone: level 1 (level 2 not rated)"),
        ("F L P", 5, "standard", "PA 2.2 at P fails level 2"),
        ("F P L", 5, "standard", "PA 2.1 at P fails level 2"),
        ("F F F F F L L", 5, "standard", "level 4"),
        ("F F F F F F F L L", 5, "standard", "level 5"),
        ("F F F F F F F F F", 5, "standard", "everything F: level 5"),
        ("F F F F F F F F P", 5, "standard", "PA 5.2 at P: level 4"),
        ("F F F F F L F F F", 5, "standard", "PA 4.1 at L: level 4 (not F for level 5)"),
        ("F N N F F F F F F", 5, "standard", "level 2 fails, so higher levels fail too (monotonic)"),
        ("F F F P F F F F F", 5, "standard", "PA 3.1 at P stops at level 2 whatever is above"),
        ("F L L L L", 5, "standard", "PA 2.1 at L: level 2, level 3 needs PA 2.1 F"),
        ("F F F F F F F F F", 2, "standard", "target 2: the level is claimed only up to the target"),
        ("F F F F F F F F F", 1, "standard", "target 1: level 1 however high the rest"),
        ("F F F L L", 3, "standard", "target 3 reached"),
        ("F F F", 2, "standard", "target 2 with attributes above it not rated"),
        ("L+ F F F F", 5, "refined", "refined L+ counts as L: not F, level 1"),
        ("F L- L-", 5, "refined", "refined L- counts as L: level 2"),
        ("F L+ P+", 5, "refined", "refined P+ counts as P: fails level 2"),
        ("F F F L+ L-", 5, "refined", "refined L+/L- at level 3: level 3"),
        ("P+", 5, "refined", "refined P+ on PA 1.1: level 0"),
        ("L-", 5, "refined", "refined L- on PA 1.1: level 1"),
        ("90% 70% 51%", 5, "standard", "percentages are placed in bands first: F L L gives level 2"),
        ("85% 100% 100%", 5, "standard", "85% is L, so PA 1.1 is not F: level 1"),
        ("F 50% 100%", 5, "standard", "50% is P: level 1"),
    ]
    for i, (values, target, scale, rule) in enumerate(rows, 1):
        attrs = {}
        for (pa, _), v in zip(ATTRS, values.split()):
            attrs[pa] = v
        folded = {}
        for pa, v in attrs.items():
            if v.endswith("%"):
                v = band(float(v[:-1]), False)
            folded[pa] = v
        out.append({"id": "level-%03d" % i, "rule": rule, "source": S_TARGET if target < 5 else S_LEVEL,
                    "kind": "capability", "scale": scale, "target": target, "attributes": attrs,
                    "expect": {"level": level_of(folded, target)}})
    return out


# ---------------------------------------------------------------- aggregation
def aggregation_vectors():
    out = []
    n = [0]

    def add(method, values, expect, rule, source, scale="standard", weights=None):
        n[0] += 1
        v = {"id": "agg-%03d" % n[0], "rule": rule, "source": source, "kind": "aggregate", "method": method,
             "scale": scale, "values": values}
        if weights is not None:
            v["weights"] = weights
        v["expect"] = {"error": True} if expect is None else {"value": expect}
        out.append(v)

    m = "mean"
    add(m, ["F", "L"], "F", "mean 2.5 is a tie and rounds up to F", S_MEAN)
    add(m, ["L", "F"], "F", "mean 2.5 rounds up whatever the order", S_MEAN)
    add(m, ["F", "N"], "L", "mean 1.5 rounds up to L", S_MEAN)
    add(m, ["L", "P"], "L", "mean 1.5 rounds up to L", S_MEAN)
    add(m, ["P", "N"], "P", "mean 0.5 rounds up to P", S_MEAN)
    add(m, ["F", "N", "N"], "P", "mean 1.0 is P", S_MEAN)
    add(m, ["N", "N", "P"], "N", "mean 0.33 rounds down to N", S_MEAN)
    add(m, ["F", "F", "P"], "L", "mean 2.33 rounds down to L", S_MEAN)
    add(m, ["F", "F", "L"], "F", "mean 2.67 rounds up to F", S_MEAN)
    add(m, ["L", "L", "P", "P"], "L", "mean 1.5 over four values rounds up", S_MEAN)
    add(m, ["N", "F", "F", "F"], "L", "mean 2.25 rounds down to L", S_MEAN)
    add(m, ["P", "P", "F", "F"], "L", "mean 2.0 is L", S_MEAN)
    add(m, ["F"], "F", "the mean of one value is that value", S_MEAN)
    add(m, ["N"], "N", "the mean of one value is that value", S_MEAN)
    add(m, ["F", "F", "F", "N", "N", "N"], "L", "mean 1.5 over six values rounds up", S_MEAN)
    add(m, ["90%", "10%"], "L", "percentages are placed in bands first (F and N), then averaged", S_MEAN)
    add(m, [], None, "nothing to aggregate is an error", S_MEAN)
    add(m, ["F", "N"], "L-", "refined mean 2.5 of F(5) and N(0) rounds up to L- (3)", S_MEAN_REFINED, "refined")
    add(m, ["P+", "L-"], "L-", "refined mean 2.5 rounds up to L-", S_MEAN_REFINED, "refined")
    add(m, ["P-", "P+"], "P+", "refined mean 1.5 rounds up to P+", S_MEAN_REFINED, "refined")
    add(m, ["L+", "F"], "F", "refined mean 4.5 rounds up to F", S_MEAN_REFINED, "refined")
    add(m, ["N", "P-"], "P-", "refined mean 0.5 rounds up to P-", S_MEAN_REFINED, "refined")
    add(m, ["P-", "P-", "L+"], "P+", "refined mean 2.0 is P+", S_MEAN_REFINED, "refined")
    add(m, ["N", "N", "L-"], "P-", "refined mean 1.0 is P-", S_MEAN_REFINED, "refined")
    add(m, ["L-", "L+", "L+"], "L+", "refined mean 3.67 rounds up to L+", S_MEAN_REFINED, "refined")

    w = "weighted-mean"
    add(w, ["F", "N"], "L", "weighted mean 2.25 (F weight 3, N weight 1) rounds down to L", S_WEIGHTED, weights=[3, 1])
    add(w, ["F", "N"], "P", "weighted mean 0.5 (F weight 1, N weight 5) rounds up to P", S_WEIGHTED, weights=[1, 5])
    add(w, ["F", "L"], "F", "weighted mean 2.6 (0.6/0.4) rounds up to F", S_WEIGHTED, weights=[0.6, 0.4])
    add(w, ["L", "P"], "L", "weighted mean 1.6 rounds up to L", S_WEIGHTED, weights=[0.6, 0.4])
    add(w, ["L", "P"], "P", "weighted mean 1.4 rounds down to P", S_WEIGHTED, weights=[0.4, 0.6])
    add(w, ["F", "N"], "L", "equal weights: 1.5 is a tie and rounds up", S_WEIGHTED, weights=[0.5, 0.5])
    add(w, ["F", "N"], "L", "weights 0.1 and 0.1: 1.5 still rounds up despite floating point", S_WEIGHTED, weights=[0.1, 0.1])
    add(w, ["F", "P"], "L", "weighted mean (3x1 + 1x3)/4 = 1.5 rounds up", S_WEIGHTED, weights=[1, 3])
    add(w, ["F", "L", "N"], "P", "weights 1,1,2: (3+2+0)/4 = 1.25 rounds down to P", S_WEIGHTED, weights=[1, 1, 2])
    add(w, ["F", "L", "N"], "L", "weights 1,2,1: (3+4+0)/4 = 1.75 rounds up to L", S_WEIGHTED, weights=[1, 2, 1])
    add(w, ["F", "F", "F"], "F", "weights do not change equal values", S_WEIGHTED, weights=[0.2, 5, 1])
    add(w, ["L", "F"], "F", "no weights means all 1: the plain mean 2.5 rounds up", S_WEIGHTED)
    add(w, ["F", "N"], "F", "weight 999 against 1 gives 2.997, F", S_WEIGHTED, weights=[999, 1])
    add(w, ["F", "N"], None, "a weight of 0 is refused", S_WEIGHTED, weights=[1, 0])
    add(w, ["F", "N"], None, "a negative weight is refused", S_WEIGHTED, weights=[1, -1])
    add(w, ["L+", "P-"], "L-", "refined weighted mean (4x3 + 1x1)/4 = 3.25 rounds down to L-", S_MEAN_REFINED,
        "refined", weights=[3, 1])
    add(w, ["F", "N"], "L-", "refined weighted mean 2.5 rounds up to L-", S_MEAN_REFINED, "refined", weights=[1, 1])

    md = "median"
    add(md, ["F", "L"], "L", "median of an even count: the lower middle value", S_MEDIAN)
    add(md, ["L", "F"], "L", "the median does not depend on the order", S_MEDIAN)
    add(md, ["F", "N", "P", "F"], "P", "median of N P F F: the lower middle value P", S_MEDIAN)
    add(md, ["N", "F", "L"], "L", "median of an odd count: the middle value", S_MEDIAN)
    add(md, ["P", "L", "L", "F"], "L", "median of P L L F is L", S_MEDIAN)
    add(md, ["N", "N", "F", "F"], "N", "median of N N F F: the lower middle value N", S_MEDIAN)
    add(md, ["F"], "F", "the median of one value is that value", S_MEDIAN)
    add(md, ["F", "F", "N", "N", "F"], "F", "median of N N F F F is F", S_MEDIAN)
    add(md, ["P-", "L+"], "P-", "refined median of two: the lower", S_MEDIAN, "refined")
    add(md, ["P+", "L-", "L+"], "L-", "refined median of three: the middle", S_MEDIAN, "refined")

    mn = "minimum"
    add(mn, ["F", "L", "P"], "P", "minimum: the lowest value", S_MINIMUM)
    add(mn, ["F", "F"], "F", "minimum of equal values", S_MINIMUM)
    add(mn, ["N", "F"], "N", "minimum: the lowest value", S_MINIMUM)
    add(mn, ["F", "N"], "N", "minimum does not depend on the order", S_MINIMUM)
    add(mn, ["L+", "L-"], "L-", "refined minimum", S_MINIMUM, "refined")
    add(mn, ["F", "P+", "L-"], "P+", "refined minimum", S_MINIMUM, "refined")
    return out


# ---------------------------------------------------------------- methods
def assessment(vid, rule, source, processes, expect, method="R2", aggregation="mean", scale="standard"):
    return {"id": vid, "rule": rule, "source": source, "kind": "assessment", "method": method,
            "aggregation": aggregation, "scale": scale, "processes": processes, "expect": expect}


def proc(pid, target, instances):
    return {"id": pid, "target": target, "instances": instances}


def inst(iid, ratings, weight=None):
    i = {"id": iid, "ratings": ratings}
    if weight is not None:
        i["weight"] = weight
    return i


def exp(pid, level="?", **attrs):
    e = {}
    if attrs:
        e["attributes"] = {k.replace("_", "."): v for k, v in attrs.items()}
    if level != "?":
        e["level"] = level
    return {"processes": {pid: e}}


def method_vectors():
    P = "CF.1"
    v = []
    # R2
    v.append(assessment("r2-001", "R2 with one instance: its ratings are the process's", S_R2,
                        [proc(P, 2, [inst("i1", {"PA1.1": "F", "PA2.1": "L", "PA2.2": "L"})])],
                        exp(P, 2, PA1_1="F", PA2_1="L", PA2_2="L", PA3_1="not assessed")))
    v.append(assessment("r2-002", "R2 aggregates the instances: F and N give L (1.5 rounds up)", S_R2,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}), inst("i2", {"PA1.1": "N"})])],
                        exp(P, 1, PA1_1="L")))
    v.append(assessment("r2-003", "R2 weighted: F (weight 3) and N (weight 1) give L", S_WEIGHTED,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}, 3), inst("i2", {"PA1.1": "N"}, 1)])],
                        exp(P, 1, PA1_1="L"), aggregation="weighted-mean"))
    v.append(assessment("r2-004", "R2 weighted: F (weight 1) and N (weight 5) give P, level 0", S_WEIGHTED,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}, 1), inst("i2", {"PA1.1": "N"}, 5)])],
                        exp(P, 0, PA1_1="P"), aggregation="weighted-mean"))
    v.append(assessment("r2-005", "R2: an instance without a rating is left out of the aggregate, not counted as N",
                        S_TARGET, [proc(P, 1, [inst("i1", {"PA1.1": "F"}), inst("i2", {})])], exp(P, 1, PA1_1="F")))
    v.append(assessment("r2-006", "R2: an attribute within the target without any rating is not rated and blocks its level",
                        S_TARGET, [proc(P, 2, [inst("i1", {"PA1.1": "F", "PA2.1": "F"})])],
                        exp(P, 1, PA1_1="F", PA2_1="F", PA2_2="not rated")))
    v.append(assessment("r2-007", "R2: attributes above the target are not assessed and not used", S_TARGET,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F", "PA2.1": "N", "PA2.2": "F"})])],
                        exp(P, 1, PA1_1="F", PA2_1="not assessed", PA2_2="not assessed")))
    v.append(assessment("r2-008", "R2 median: F and L give L (lower middle)", S_MEDIAN,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}), inst("i2", {"PA1.1": "L"})])],
                        exp(P, 1, PA1_1="L"), aggregation="median"))
    v.append(assessment("r2-009", "R2 minimum: F and P give P, level 0", S_MINIMUM,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}), inst("i2", {"PA1.1": "P"})])],
                        exp(P, 0, PA1_1="P"), aggregation="minimum"))
    v.append(assessment("r2-010", "R2: nothing rated is not rated, level 0", S_TARGET,
                        [proc(P, 1, [inst("i1", {})])], exp(P, 0, PA1_1="not rated")))
    v.append(assessment("r2-011", "R2 instance levels are determined from the instance's own ratings", S_LEVEL,
                        [proc(P, 2, [inst("i1", {"PA1.1": "F", "PA2.1": "F", "PA2.2": "F"}),
                                     inst("i2", {"PA1.1": "P", "PA2.1": "F", "PA2.2": "F"})])],
                        {"processes": {P: {"level": 1, "attributes": {"PA1.1": "L"},
                                           "instances": {"i1": {"level": 2}, "i2": {"level": 0}}}}}))
    v.append(assessment("r2-012", "R2 refined: L+ (4) and L- (3) give 3.5, rounded up to L+; L+ is not F", S_MEAN_REFINED,
                        [proc(P, 2, [inst("i1", {"PA1.1": "L+", "PA2.1": "F", "PA2.2": "F"}),
                                     inst("i2", {"PA1.1": "L-", "PA2.1": "F", "PA2.2": "F"})])],
                        exp(P, 1, PA1_1="L+", PA2_1="F"), scale="refined"))
    v.append(assessment("r2-013", "R2 refined: percentages are placed in the refined bands", S_REFINED,
                        [proc(P, 1, [inst("i1", {"PA1.1": "70%"})])], exp(P, 1, PA1_1="L+"), scale="refined"))
    v.append(assessment("r2-014", "R2 weighted over three instances: (3x0.5 + 2x0.3 + 0x0.2) = 2.1 gives L", S_WEIGHTED,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}, 0.5), inst("i2", {"PA1.1": "L"}, 0.3),
                                     inst("i3", {"PA1.1": "N"}, 0.2)])],
                        exp(P, 1, PA1_1="L"), aggregation="weighted-mean"))
    # R3
    v.append(assessment("r3-001", "R3 with one instance: the instance's ratings are the process's", S_R3,
                        [proc(P, 2, [inst("i1", {"PA1.1": "F", "PA2.1": "L", "PA2.2": "F"})])],
                        exp(P, 2, PA1_1="F", PA2_1="L"), method="R3"))
    v.append(assessment("r3-002", "R3 with several instances: not aggregated, no process level", S_R3,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F"}), inst("i2", {"PA1.1": "N"})])],
                        {"processes": {P: {"level": None, "attributes": {"PA1.1": "not aggregated"},
                                           "instances": {"i1": {"level": 1}, "i2": {"level": 0}}}}}, method="R3"))
    # R1
    o = lambda k: P + ".O%d" % k
    v.append(assessment("r1-001", "R1: PA 1.1 aggregates the outcome characterisations (F F L: 2.67 gives F)", S_R1,
                        [proc(P, 1, [inst("i1", {o(1): "F", o(2): "F", o(3): "L"})])], exp(P, 1, PA1_1="F"), method="R1"))
    v.append(assessment("r1-002", "R1: outcomes characterised from their indicators (O1 F; O2 L,P: 1.5 gives L; O3 P,F: 2 gives L); F L L gives L",
                        S_R1_DERIVED, [proc(P, 1, [inst("i1", {P + ".BP1": "F", P + ".BP2": "L", P + ".BP3": "P",
                                                               P + ".WP1": "F"})])],
                        exp(P, 1, PA1_1="L"), method="R1"))
    v.append(assessment("r1-003", "R1: an outcome's own rating wins over its indicators (N F F: 2 gives L)", S_R1_DERIVED,
                        [proc(P, 1, [inst("i1", {o(1): "N", P + ".BP1": "F", o(2): "F", o(3): "F"})])],
                        exp(P, 1, PA1_1="L"), method="R1"))
    v.append(assessment("r1-004", "R1: a direct attribute rating is not used (outcomes N N N give N)", S_R1,
                        [proc(P, 1, [inst("i1", {"PA1.1": "F", o(1): "N", o(2): "N", o(3): "N"})])],
                        exp(P, 0, PA1_1="N"), method="R1"))
    v.append(assessment("r1-005", "R1 matrix: N over one outcome and L over three give L (1.5), not the P of aggregating instance results",
                        S_R1_MATRIX, [proc(P, 1, [inst("i1", {o(1): "N"}), inst("i2", {o(1): "L", o(2): "L", o(3): "L"})])],
                        {"processes": {P: {"level": 1, "attributes": {"PA1.1": "L"},
                                           "instances": {"i1": {"attributes": {"PA1.1": "N"}},
                                                         "i2": {"attributes": {"PA1.1": "L"}}}}}}, method="R1"))
    v.append(assessment("r1-006", "R1: uncharacterised outcomes are missing, the characterised ones count", S_R1,
                        [proc(P, 1, [inst("i1", {o(1): "F"})])], exp(P, 1, PA1_1="F"), method="R1"))
    v.append(assessment("r1-007", "R1: no outcome characterised is not rated", S_R1,
                        [proc(P, 1, [inst("i1", {})])], exp(P, 0, PA1_1="not rated"), method="R1"))
    ach21 = {"PA2.1." + c: "F" for c in "abcdefgh"}
    ach22 = {"PA2.2." + c: "L" for c in "abcd"}
    r = {o(1): "F", o(2): "F", o(3): "F"}
    r.update(ach21)
    r.update(ach22)
    v.append(assessment("r1-008", "R1: level 2 attributes aggregate their achievements (PA 2.1 all F, PA 2.2 all L)", S_R1,
                        [proc(P, 2, [inst("i1", r)])], exp(P, 2, PA1_1="F", PA2_1="F", PA2_2="L"), method="R1"))
    r2 = dict(r)
    r2["PA2.2.a"] = "N"
    r2["PA2.2.b"] = "N"
    v.append(assessment("r1-009", "R1: PA 2.2 achievements N N L L give 1.0 = P, level 1", S_R1,
                        [proc(P, 2, [inst("i1", r2)])], exp(P, 1, PA2_2="P"), method="R1"))
    v.append(assessment("r1-010", "R1 weighted matrix: F x3 outcomes (weight 3) and N x3 (weight 1) give 2.25 = L",
                        S_R1_MATRIX, [proc(P, 1, [inst("i1", {o(1): "F", o(2): "F", o(3): "F"}, 3),
                                                  inst("i2", {o(1): "N", o(2): "N", o(3): "N"}, 1)])],
                        exp(P, 1, PA1_1="L"), method="R1", aggregation="weighted-mean"))
    v.append(assessment("r1-011", "R1: a derived characterisation always uses the mean, whatever the aggregation (O2 from BP2 F and BP3 N is L, minimum of F L F is L)",
                        S_R1_DERIVED, [proc(P, 1, [inst("i1", {o(1): "F", P + ".BP2": "F", P + ".BP3": "N", o(3): "F"})])],
                        exp(P, 1, PA1_1="L"), method="R1", aggregation="minimum"))
    # Team ratings
    v.append(assessment("team-001", "two assessors differ, no consolidated rating: the lowest counts", S_TEAM,
                        [proc(P, 1, [inst("i1", {"PA1.1": [{"assessor": "ann", "value": "F"},
                                                            {"assessor": "bob", "value": "L"}]})])],
                        exp(P, 1, PA1_1="L")))
    v.append(assessment("team-002", "the consolidated rating counts over the assessors'", S_TEAM,
                        [proc(P, 1, [inst("i1", {"PA1.1": [{"assessor": "ann", "value": "F"},
                                                            {"assessor": "bob", "value": "N"},
                                                            {"consolidated": True, "value": "L"}]})])],
                        exp(P, 1, PA1_1="L")))
    v.append(assessment("team-003", "assessors who agree: their value", S_TEAM,
                        [proc(P, 1, [inst("i1", {"PA1.1": [{"assessor": "ann", "value": "F"},
                                                            {"assessor": "bob", "value": "F"}]})])],
                        exp(P, 1, PA1_1="F")))
    v.append(assessment("team-004", "a percentage and a value are compared on the scale: 90% (F) and L give L", S_TEAM,
                        [proc(P, 1, [inst("i1", {"PA1.1": [{"assessor": "ann", "value": "90%"},
                                                            {"assessor": "bob", "value": "L"}]})])],
                        exp(P, 1, PA1_1="L")))
    # Maturity through a whole computation.
    v.append(assessment("maturity-001", "maturity level 1: every process of set 1 at capability level 1", S_MATURITY,
                        [proc("CF.1", 1, [inst("a", {"PA1.1": "F"})]), proc("CF.2", 1, [inst("b", {"PA1.1": "L"})])],
                        {"maturity": 1}))
    v.append(assessment("maturity-002", "maturity level 0: a process of set 1 below capability level 1", S_MATURITY,
                        [proc("CF.1", 1, [inst("a", {"PA1.1": "F"})]), proc("CF.2", 1, [inst("b", {"PA1.1": "P"})])],
                        {"maturity": 0}))
    return v


# ---------------------------------------------------------------- maturity
SETS = {1: ["CF.1", "CF.2"], 2: ["CF.3"], 3: ["CF.4"], 4: ["CF.5"], 5: ["CF.6"]}


def maturity_of(processes):
    """The staged rule literally: (level, attainable)."""
    level, attainable, reached, can = 0, 0, True, True
    for n in range(1, 6):
        ok, possible = True, True
        for k in range(1, n + 1):
            req = min(n, max(k, 3))
            for p in SETS[k]:
                if p not in processes or processes[p]["target"] < req:
                    ok = possible = False
                elif processes[p]["level"] is None or processes[p]["level"] < req:
                    ok = False
        if can and possible:
            attainable = n
        else:
            can = False
        if reached and ok:
            level = n
        else:
            reached = False
    return level, attainable


def maturity_vectors():
    rows = [
        ("all processes at 5", {p: 5 for s in SETS.values() for p in s}, {}),
        ("all processes at 0", {p: 0 for s in SETS.values() for p in s}, {}),
        ("set 1 at 1, the rest at 0", {"CF.1": 1, "CF.2": 1, "CF.3": 0, "CF.4": 0, "CF.5": 0, "CF.6": 0}, {}),
        ("sets 1 and 2 at 2", {"CF.1": 2, "CF.2": 2, "CF.3": 2, "CF.4": 0, "CF.5": 0, "CF.6": 0}, {}),
        ("set 2 at 1 holds level 2 back", {"CF.1": 2, "CF.2": 2, "CF.3": 1, "CF.4": 0, "CF.5": 0, "CF.6": 0}, {}),
        ("sets 1 to 3 at 3; sets 4 and 5 at 3", {"CF.1": 3, "CF.2": 3, "CF.3": 3, "CF.4": 3, "CF.5": 3, "CF.6": 3}, {}),
        ("level 4: sets 1-3 stay at 3, set 4 at 4", {"CF.1": 3, "CF.2": 3, "CF.3": 3, "CF.4": 3, "CF.5": 4, "CF.6": 0}, {}),
        ("level 5: set 4 needs only 4, set 5 needs 5", {"CF.1": 3, "CF.2": 3, "CF.3": 3, "CF.4": 3, "CF.5": 4, "CF.6": 5}, {}),
        ("set 5 at 5 without set 4 at 4: level 3", {"CF.1": 3, "CF.2": 3, "CF.3": 3, "CF.4": 3, "CF.5": 3, "CF.6": 5}, {}),
        ("one process of set 1 at 0", {"CF.1": 1, "CF.2": 0, "CF.3": 5, "CF.4": 5, "CF.5": 5, "CF.6": 5}, {}),
        ("set 1 at 2 but set 2 at 1: level 1", {"CF.1": 2, "CF.2": 2, "CF.3": 1, "CF.4": 3, "CF.5": 4, "CF.6": 5}, {}),
        ("level 3 needs set 1 at 3 too", {"CF.1": 2, "CF.2": 3, "CF.3": 3, "CF.4": 3, "CF.5": 0, "CF.6": 0}, {}),
        ("a process of set 1 not in scope: nothing attainable", {"CF.1": 5, "CF.3": 5, "CF.4": 5, "CF.5": 5, "CF.6": 5}, {}),
        ("set 3 not in scope: at most level 2", {"CF.1": 5, "CF.2": 5, "CF.3": 5, "CF.5": 5, "CF.6": 5}, {}),
        ("set 2 with target 1: at most level 1", {"CF.1": 1, "CF.2": 1, "CF.3": 1, "CF.4": 1, "CF.5": 1, "CF.6": 1}, {"CF.3": 1}),
        ("set 4 with target 3: at most level 3", {"CF.1": 3, "CF.2": 3, "CF.3": 3, "CF.4": 3, "CF.5": 3, "CF.6": 3}, {"CF.5": 3}),
        ("a process whose level is not determined (R3) cannot count", {"CF.1": None, "CF.2": 5, "CF.3": 5, "CF.4": 5, "CF.5": 5, "CF.6": 5}, {}),
    ]
    out = []
    for i, (rule, levels, targets) in enumerate(rows, 1):
        processes = {p: {"level": lv, "target": targets.get(p, 5)} for p, lv in levels.items()}
        level, attainable = maturity_of(processes)
        out.append({"id": "maturity-%03d" % i, "rule": rule, "source": S_MATURITY, "kind": "maturity",
                    "processes": processes, "expect": {"level": level, "attainable": attainable}})
    return out


total = 0
total += write("values-standard", "Written values and percentages on the standard scale N/P/L/F", value_vectors("standard"))
total += write("values-refined", "Written values and percentages on the refined scale N/P-/P+/L-/L+/F", value_vectors("refined"))
total += write("capability-level", "The capability level rule over attribute ratings, with target levels", capability_vectors())
total += write("aggregation", "Every aggregation method on both scales, with ties and weights", aggregation_vectors())
total += write("rating-methods", "R1, R2 and R3 over whole assessments of the conformance model; team ratings", method_vectors())
total += write("maturity", "The staged organizational maturity rule over the conformance model's maturity sets", maturity_vectors())
print("%d vectors" % total)
