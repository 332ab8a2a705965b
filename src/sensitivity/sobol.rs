//! Variance-based (Sobol') global sensitivity indices.
//!
//! Self-contained: no dependencies (the bootstrap uses its own small,
//! documented xoshiro256** generator, so results do not change with the
//! version of the `rand` crate a host crate uses) and no `crate::` path, so
//! this file can be copied verbatim into another crate as a module.
//!
//! # Workflow
//!
//! 1. [`sample_matrices`] draws the base sample matrices `A` and `B` from a
//!    `2k`-dimensional Sobol' sequence ([`SobolSeq`]) and builds the
//!    "radial"/pick-freeze matrices `A_B^(i)` (and `B_A^(i)` for the Azzini
//!    design).
//! 2. The caller evaluates its model once per row of [`Design::rows`], in that
//!    order, mapping each point of the unit hypercube `[0, 1)^k` to its own
//!    input distributions (e.g. by inverse CDF). Each model run returns a
//!    vector of `p` outputs (`p = 1` for a scalar model).
//! 3. [`indices`] gives first- and total-order indices, [`bootstrap`] adds
//!    percentile confidence intervals, and [`dummy`] estimates the indices of
//!    a parameter that does not enter the model, i.e. the estimator's noise
//!    floor.
//!
//! For a vector output the index is the aggregated one of Gamboa et al.
//! (2014): numerator and denominator are each summed over the `p` outputs
//! before dividing, so outputs with more variance weigh more.
//!
//! # References
//!
//! * Sobol', I. M. (1967). On the distribution of points in a cube and the
//!   approximate evaluation of integrals. USSR Comput. Math. Math. Phys.
//!   7(4):86–112.
//! * Antonov, I. A., Saleev, V. M. (1979). An economic method of computing
//!   LP_tau-sequences. USSR Comput. Math. Math. Phys. 19(1):252–256 (the
//!   Gray-code construction).
//! * Bratley, P., Fox, B. L. (1988). Algorithm 659: Implementing Sobol's
//!   quasirandom sequence generator. ACM Trans. Math. Softw. 14(1):88–100.
//! * Joe, S., Kuo, F. Y. (2008). Constructing Sobol sequences with better
//!   two-dimensional projections. SIAM J. Sci. Comput. 30(5):2635–2654;
//!   direction numbers from the file `new-joe-kuo-6.21201`.
//! * Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M.,
//!   Tarantola, S. (2010). Variance based sensitivity analysis of model
//!   output. Design and estimator for the total sensitivity index. Comput.
//!   Phys. Commun. 181(2):259–270.
//! * Jansen, M. J. W. (1999). Analysis of variance designs for model output.
//!   Comput. Phys. Commun. 117(1–2):35–43.
//! * Azzini, I., Mara, T. A., Rosati, R. (2020). Monte Carlo estimators of
//!   first- and total-orders Sobol' indices. arXiv:2006.08232 (the reference
//!   R sensobol cites for its `"azzini"` estimators).
//! * Gamboa, F., Janon, A., Klein, T., Lagnoux, A. (2014). Sensitivity
//!   analysis for multidimensional and functional outputs. Electron. J.
//!   Statist. 8(1):575–603.
//! * Khorashadi Zadeh, F., Nossent, J., Sarrazin, F., Pianosi, F., van
//!   Griensven, A., Wagener, T., Bauwens, W. (2017). Comparison of
//!   variance-based and moment-independent global sensitivity analysis
//!   approaches by application to the SWAT model. Environ. Model. Softw.
//!   91:210–222 (the dummy parameter).
//! * Puy, A., Lo Piano, S., Saltelli, A., Levin, S. A. (2022). sensobol: An R
//!   package to compute variance-based sensitivity indices. J. Stat. Softw.
//!   102(5):1–37. The estimator formulas here were checked against its
//!   `R/sobol_indices.R` (`sobol_boot` and `sobol_dummy_boot`).
//! * Blackman, D., Vigna, S. (2021). Scrambled linear pseudorandom number
//!   generators. ACM Trans. Math. Softw. 47(4):36 (xoshiro256**, seeded
//!   with SplitMix64: Steele, G. L., Lea, D., Flood, C. H. (2014). Fast
//!   splittable pseudorandom number generators. OOPSLA 2014, 453–472).
//! * Lemire, D. (2019). Fast random integer generation in an interval. ACM
//!   Trans. Model. Comput. Simul. 29(1):3 (unbiased bounded draws).
//! * Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical
//!   packages. Amer. Statist. 50(4):361–365 (type-7 quantiles).

// ===========================================================================
// Sobol' sequence
// ===========================================================================

/// Rows `(d, s, a, [m_1, ..., m_s])` of Joe & Kuo's `new-joe-kuo-6.21201`
/// for dimensions `d = 2..=128`: `s` is the degree of the primitive
/// polynomial, `a` encodes its inner coefficients (bit `s - 1 - l` of `a` is
/// the coefficient `a_l`, `l = 1..s-1`), and `m_k` are the initial odd
/// direction integers (`m_k < 2^k`). Dimension 1 is not in the file: all its
/// `m_k` are 1, which gives the van der Corput sequence in base 2.
///
/// Transcribed from the published file as embedded in R sensobol's
/// `src/sobol_direction_numbers.h`, and cross-checked entry by entry against
/// an independent transcription of the same file (dimensions 2–128 agree).
#[rustfmt::skip]
const JOE_KUO: &[(u32, u32, u32, &[u32])] = &[
    (2, 1, 0, &[1]),
    (3, 2, 1, &[1, 3]),
    (4, 3, 1, &[1, 3, 1]),
    (5, 3, 2, &[1, 1, 1]),
    (6, 4, 1, &[1, 1, 3, 3]),
    (7, 4, 4, &[1, 3, 5, 13]),
    (8, 5, 2, &[1, 1, 5, 5, 17]),
    (9, 5, 4, &[1, 1, 5, 5, 5]),
    (10, 5, 7, &[1, 1, 7, 11, 19]),
    (11, 5, 11, &[1, 1, 5, 1, 1]),
    (12, 5, 13, &[1, 1, 1, 3, 11]),
    (13, 5, 14, &[1, 3, 5, 5, 31]),
    (14, 6, 1, &[1, 3, 3, 9, 7, 49]),
    (15, 6, 13, &[1, 1, 1, 15, 21, 21]),
    (16, 6, 16, &[1, 3, 1, 13, 27, 49]),
    (17, 6, 19, &[1, 1, 1, 15, 7, 5]),
    (18, 6, 22, &[1, 3, 1, 15, 13, 25]),
    (19, 6, 25, &[1, 1, 5, 5, 19, 61]),
    (20, 7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (21, 7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (22, 7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (23, 7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (24, 7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (25, 7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (26, 7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (27, 7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (28, 7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (29, 7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (30, 7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (31, 7, 41, &[1, 3, 5, 13, 23, 1, 55]),
    (32, 7, 42, &[1, 3, 7, 3, 13, 59, 17]),
    (33, 7, 50, &[1, 3, 1, 3, 5, 53, 69]),
    (34, 7, 55, &[1, 1, 5, 5, 23, 33, 13]),
    (35, 7, 56, &[1, 1, 7, 7, 1, 61, 123]),
    (36, 7, 59, &[1, 1, 7, 9, 13, 61, 49]),
    (37, 7, 62, &[1, 3, 3, 5, 3, 55, 33]),
    (38, 8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (39, 8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (40, 8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]),
    (41, 8, 38, &[1, 3, 1, 11, 27, 43, 71, 9]),
    (42, 8, 47, &[1, 1, 7, 15, 21, 11, 81, 45]),
    (43, 8, 49, &[1, 3, 7, 3, 25, 31, 65, 79]),
    (44, 8, 50, &[1, 3, 1, 1, 19, 11, 3, 205]),
    (45, 8, 52, &[1, 1, 5, 9, 19, 21, 29, 157]),
    (46, 8, 56, &[1, 3, 7, 11, 1, 33, 89, 185]),
    (47, 8, 67, &[1, 3, 3, 3, 15, 9, 79, 71]),
    (48, 8, 70, &[1, 3, 7, 11, 15, 39, 119, 27]),
    (49, 8, 84, &[1, 1, 3, 1, 11, 31, 97, 225]),
    (50, 8, 97, &[1, 1, 1, 3, 23, 43, 57, 177]),
    (51, 8, 103, &[1, 3, 7, 7, 17, 17, 37, 71]),
    (52, 8, 115, &[1, 3, 1, 5, 27, 63, 123, 213]),
    (53, 8, 122, &[1, 1, 3, 5, 11, 43, 53, 133]),
    (54, 9, 8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]),
    (55, 9, 13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]),
    (56, 9, 16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]),
    (57, 9, 22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]),
    (58, 9, 25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]),
    (59, 9, 44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]),
    (60, 9, 47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]),
    (61, 9, 52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]),
    (62, 9, 55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]),
    (63, 9, 59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]),
    (64, 9, 62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]),
    (65, 9, 67, &[1, 1, 1, 11, 21, 53, 125, 249, 293]),
    (66, 9, 74, &[1, 1, 7, 11, 11, 7, 57, 79, 323]),
    (67, 9, 81, &[1, 1, 5, 5, 17, 13, 81, 3, 131]),
    (68, 9, 82, &[1, 1, 7, 13, 23, 7, 65, 251, 475]),
    (69, 9, 87, &[1, 3, 5, 1, 9, 43, 3, 149, 11]),
    (70, 9, 91, &[1, 1, 3, 13, 31, 13, 13, 255, 487]),
    (71, 9, 94, &[1, 3, 3, 1, 5, 63, 89, 91, 127]),
    (72, 9, 103, &[1, 1, 3, 3, 1, 19, 123, 127, 237]),
    (73, 9, 104, &[1, 1, 5, 7, 23, 31, 37, 243, 289]),
    (74, 9, 109, &[1, 1, 5, 11, 17, 53, 117, 183, 491]),
    (75, 9, 122, &[1, 1, 1, 5, 1, 13, 13, 209, 345]),
    (76, 9, 124, &[1, 1, 3, 15, 1, 57, 115, 7, 33]),
    (77, 9, 137, &[1, 3, 1, 11, 7, 43, 81, 207, 175]),
    (78, 9, 138, &[1, 3, 1, 1, 15, 27, 63, 255, 49]),
    (79, 9, 143, &[1, 3, 5, 3, 27, 61, 105, 171, 305]),
    (80, 9, 145, &[1, 1, 5, 3, 1, 3, 57, 249, 149]),
    (81, 9, 152, &[1, 1, 3, 5, 5, 57, 15, 13, 159]),
    (82, 9, 157, &[1, 1, 1, 11, 7, 11, 105, 141, 225]),
    (83, 9, 167, &[1, 3, 3, 5, 27, 59, 121, 101, 271]),
    (84, 9, 173, &[1, 3, 5, 9, 11, 49, 51, 59, 115]),
    (85, 9, 176, &[1, 1, 7, 1, 23, 45, 125, 71, 419]),
    (86, 9, 181, &[1, 1, 3, 5, 23, 5, 105, 109, 75]),
    (87, 9, 182, &[1, 1, 7, 15, 7, 11, 67, 121, 453]),
    (88, 9, 185, &[1, 3, 7, 3, 9, 13, 31, 27, 449]),
    (89, 9, 191, &[1, 3, 1, 15, 19, 39, 39, 89, 15]),
    (90, 9, 194, &[1, 1, 1, 1, 1, 33, 73, 145, 379]),
    (91, 9, 199, &[1, 3, 1, 15, 15, 43, 29, 13, 483]),
    (92, 9, 218, &[1, 1, 7, 3, 19, 27, 85, 131, 431]),
    (93, 9, 220, &[1, 3, 3, 3, 5, 35, 23, 195, 349]),
    (94, 9, 227, &[1, 3, 3, 7, 9, 27, 39, 59, 297]),
    (95, 9, 229, &[1, 1, 3, 9, 11, 17, 13, 241, 157]),
    (96, 9, 230, &[1, 3, 7, 15, 25, 57, 33, 189, 213]),
    (97, 9, 234, &[1, 1, 7, 1, 9, 55, 73, 83, 217]),
    (98, 9, 236, &[1, 3, 3, 13, 19, 27, 23, 113, 249]),
    (99, 9, 241, &[1, 3, 5, 3, 23, 43, 3, 253, 479]),
    (100, 9, 244, &[1, 1, 5, 5, 11, 5, 45, 117, 217]),
    (101, 9, 253, &[1, 3, 3, 7, 29, 37, 33, 123, 147]),
    (102, 10, 4, &[1, 3, 1, 15, 5, 5, 37, 227, 223, 459]),
    (103, 10, 13, &[1, 1, 7, 5, 5, 39, 63, 255, 135, 487]),
    (104, 10, 19, &[1, 3, 1, 7, 9, 7, 87, 249, 217, 599]),
    (105, 10, 22, &[1, 1, 3, 13, 9, 47, 7, 225, 363, 247]),
    (106, 10, 50, &[1, 3, 7, 13, 19, 13, 9, 67, 9, 737]),
    (107, 10, 55, &[1, 3, 5, 5, 19, 59, 7, 41, 319, 677]),
    (108, 10, 64, &[1, 1, 5, 3, 31, 63, 15, 43, 207, 789]),
    (109, 10, 69, &[1, 1, 7, 9, 13, 39, 3, 47, 497, 169]),
    (110, 10, 98, &[1, 3, 1, 7, 21, 17, 97, 19, 415, 905]),
    (111, 10, 107, &[1, 3, 7, 1, 3, 31, 71, 111, 165, 127]),
    (112, 10, 115, &[1, 1, 5, 11, 1, 61, 83, 119, 203, 847]),
    (113, 10, 121, &[1, 3, 3, 13, 9, 61, 19, 97, 47, 35]),
    (114, 10, 127, &[1, 1, 7, 7, 15, 29, 63, 95, 417, 469]),
    (115, 10, 134, &[1, 3, 1, 9, 25, 9, 71, 57, 213, 385]),
    (116, 10, 140, &[1, 3, 5, 13, 31, 47, 101, 57, 39, 341]),
    (117, 10, 145, &[1, 1, 3, 3, 31, 57, 125, 173, 365, 551]),
    (118, 10, 152, &[1, 3, 7, 1, 13, 57, 67, 157, 451, 707]),
    (119, 10, 158, &[1, 1, 1, 7, 21, 13, 105, 89, 429, 965]),
    (120, 10, 161, &[1, 1, 5, 9, 17, 51, 45, 119, 157, 141]),
    (121, 10, 171, &[1, 3, 7, 7, 13, 45, 91, 9, 129, 741]),
    (122, 10, 181, &[1, 3, 7, 1, 23, 57, 67, 141, 151, 571]),
    (123, 10, 194, &[1, 1, 3, 11, 17, 47, 93, 107, 375, 157]),
    (124, 10, 199, &[1, 3, 3, 5, 11, 21, 43, 51, 169, 915]),
    (125, 10, 203, &[1, 1, 5, 3, 15, 55, 101, 67, 455, 625]),
    (126, 10, 208, &[1, 3, 5, 9, 1, 23, 29, 47, 345, 595]),
    (127, 10, 227, &[1, 3, 7, 7, 5, 49, 29, 155, 323, 589]),
    (128, 10, 242, &[1, 3, 3, 7, 5, 41, 127, 61, 261, 717]),
];

/// Number of dimensions [`SobolSeq`] supports (dimension 1 plus the rows of
/// the embedded Joe–Kuo table). [`sample_matrices`] needs `2k` of them, so it
/// accepts up to `k = MAX_DIMS / 2 = 64` parameters.
pub const MAX_DIMS: usize = JOE_KUO.len() + 1;

/// Bits per coordinate: points are multiples of `2^-32`.
const BITS: usize = 32;
const TWO_POW_32: f64 = 4_294_967_296.0;

/// Direction numbers `V_1..V_32` (as 32-bit integers, `V_k = v_k * 2^32`) of
/// dimension `dim` (1-based, `1 <= dim <= MAX_DIMS`), by the recurrence of
/// Bratley & Fox (1988) as stated by Joe & Kuo (2008):
///
/// `V_k = V_{k-s} xor (V_{k-s} >> s) xor  xor_{l=1}^{s-1} a_l V_{k-l}`
/// for `k > s`, and `V_k = m_k << (32 - k)` for `k <= s`.
fn direction_numbers(dim: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if dim <= 1 {
        for (k, vk) in v.iter_mut().enumerate() {
            *vk = 1u32 << (31 - k);
        }
        return v;
    }
    let (_, s, a, m) = JOE_KUO[dim - 2];
    let s = s as usize;
    for k in 0..BITS {
        v[k] = if k < s {
            m[k] << (31 - k)
        } else {
            let mut x = v[k - s] ^ (v[k - s] >> s);
            for l in 1..s {
                if (a >> (s - 1 - l)) & 1 == 1 {
                    x ^= v[k - l];
                }
            }
            x
        };
    }
    v
}

/// The Sobol' low-discrepancy sequence in `[0, 1)^dims`, 32-bit, with the
/// Joe & Kuo (2008) direction numbers (`new-joe-kuo-6.21201`), generated in
/// Gray-code order (Antonov & Saleev 1979): point `i + 1` is point `i` with
/// the direction number `V_c` xor-ed in, where `c` is the position of the
/// lowest zero bit of `i`. Unscrambled. Dimension 1 is the van der Corput
/// sequence (0.5, 0.75, 0.25, 0.375, 0.875, ...).
///
/// **The first point of the sequence (all zeros) is skipped**: the first
/// call to [`SobolSeq::next_point`] returns the point of index 1, which is
/// `(0.5, 0.5, ..., 0.5)`. This is what R's `randtoolbox::sobol` (used by
/// sensobol) returns by default. Any run of `2^m` consecutive points that
/// starts at a multiple of `2^m` in the *unskipped* sequence is a (t, m,
/// s)-net; so with the skip, the first `2^m - 1` points plus the zero point
/// form one.
///
/// The sequence has `2^32` points; after the last one it starts again from
/// the zero point.
#[derive(Debug, Clone)]
pub struct SobolSeq {
    /// Direction numbers, one array per dimension.
    directions: Vec<[u32; BITS]>,
    /// The current point, as integers (coordinate = `state / 2^32`).
    state: Vec<u32>,
    /// Index of the current point in the unskipped sequence.
    index: u64,
}

impl SobolSeq {
    /// A Sobol' sequence of `dims` dimensions, positioned after the zero
    /// point. Errors if `dims` is 0 or larger than [`MAX_DIMS`].
    pub fn new(dims: usize) -> Result<Self, String> {
        if dims == 0 {
            return Err("SobolSeq::new: dims must be at least 1".to_string());
        }
        if dims > MAX_DIMS {
            return Err(format!(
                "SobolSeq::new: {dims} dimensions requested, but the embedded \
                 Joe-Kuo table supports at most {MAX_DIMS}"
            ));
        }
        let mut seq = SobolSeq {
            directions: (1..=dims).map(direction_numbers).collect(),
            state: vec![0; dims],
            index: 0,
        };
        seq.advance(); // skip the all-zeros point
        Ok(seq)
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.state.len()
    }

    /// The next point, each coordinate in `[0, 1)` and an exact multiple of
    /// `2^-32`.
    pub fn next_point(&mut self) -> Vec<f64> {
        let point = self
            .state
            .iter()
            .map(|&x| f64::from(x) / TWO_POW_32)
            .collect();
        self.advance();
        point
    }

    /// Gray-code step: `X_{i+1} = X_i xor V_c`, `c - 1` = number of trailing
    /// one bits of `i`.
    fn advance(&mut self) {
        let c = self.index.trailing_ones() as usize;
        if c >= BITS {
            // All 2^32 points used: restart the period at the zero point.
            self.state.iter_mut().for_each(|x| *x = 0);
            self.index = 0;
            return;
        }
        for (x, v) in self.state.iter_mut().zip(&self.directions) {
            *x ^= v[c];
        }
        self.index += 1;
    }
}

// ===========================================================================
// Sample matrices
// ===========================================================================

/// The sampling design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `A`, `B` and the `k` matrices `A_B^(i)` (Saltelli et al. 2010):
    /// `n (k + 2)` model runs.
    Saltelli,
    /// `A`, `B`, `A_B^(i)` and `B_A^(i)` (Azzini et al. 2020):
    /// `n (2k + 2)` model runs; needed by [`Estimator::Azzini2020`].
    Azzini,
}

/// Sample matrices in the unit hypercube. Row `j` of every matrix is the
/// `j`-th base sample; `ab[i]` and `ba[i]` share row indices with `a` and
/// `b`, which is what the estimators and the bootstrap rely on.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// `A`: `n` rows of `k` columns, the first `k` coordinates of the Sobol'
    /// points.
    pub a: Vec<Vec<f64>>,
    /// `B`: `n` rows of `k` columns, the last `k` coordinates of the same
    /// points.
    pub b: Vec<Vec<f64>>,
    /// `ab[i]` = `A_B^(i)`: `A` with column `i` taken from `B`.
    pub ab: Vec<Vec<Vec<f64>>>,
    /// Azzini scheme only: `ba[i]` = `B_A^(i)`: `B` with column `i` taken
    /// from `A`. `None` for [`Scheme::Saltelli`].
    pub ba: Option<Vec<Vec<Vec<f64>>>>,
}

impl Design {
    /// Base sample size `n` (rows of `A`).
    pub fn n(&self) -> usize {
        self.a.len()
    }

    /// Number of parameters `k`.
    pub fn k(&self) -> usize {
        self.ab.len()
    }

    /// All points to evaluate, in this fixed order (each block `n` rows):
    ///
    /// `A`, `B`, `A_B^(1)`, ..., `A_B^(k)`, then for the Azzini scheme
    /// `B_A^(1)`, ..., `B_A^(k)`.
    ///
    /// So row `b * n + j` is base row `j` of block `b`. Evaluate the model
    /// once per row and pass the outputs to [`indices`], [`bootstrap`] or
    /// [`dummy`] in the same order.
    pub fn rows(&self) -> Vec<Vec<f64>> {
        let mut out = Vec::with_capacity(self.n() * (2 + 2 * self.k()));
        out.extend(self.a.iter().cloned());
        out.extend(self.b.iter().cloned());
        for m in &self.ab {
            out.extend(m.iter().cloned());
        }
        if let Some(ba) = &self.ba {
            for m in ba {
                out.extend(m.iter().cloned());
            }
        }
        out
    }
}

/// Draws `n` points of a `2k`-dimensional Sobol' sequence (skipping the zero
/// point, see [`SobolSeq`]) and builds the design: `A` = first `k`
/// coordinates, `B` = last `k`, `A_B^(i)`, and for [`Scheme::Azzini`] also
/// `B_A^(i)`. Powers of two for `n` keep the Sobol' points balanced but are
/// not required. Errors if `n == 0`, `k == 0`, `2k > MAX_DIMS`, or the
/// number of runs overflows `usize`.
pub fn sample_matrices(n: usize, k: usize, scheme: Scheme) -> Result<Design, String> {
    if n == 0 {
        return Err("sample_matrices: n must be at least 1".to_string());
    }
    if k == 0 {
        return Err("sample_matrices: k must be at least 1".to_string());
    }
    let dims = k.checked_mul(2).filter(|&d| d <= MAX_DIMS).ok_or_else(|| {
        format!(
            "sample_matrices: k = {k} needs 2k Sobol' dimensions, at most \
                 {MAX_DIMS} are supported (k <= {})",
            MAX_DIMS / 2
        )
    })?;
    if n as u64 >= 1u64 << 32 {
        return Err("sample_matrices: n must be below 2^32".to_string());
    }
    let blocks = match scheme {
        Scheme::Saltelli => k + 2,
        Scheme::Azzini => 2 * k + 2,
    };
    n.checked_mul(blocks)
        .and_then(|r| r.checked_mul(k))
        .ok_or_else(|| "sample_matrices: n * k too large".to_string())?;

    let mut seq = SobolSeq::new(dims)?;
    let mut a = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for _ in 0..n {
        let mut p = seq.next_point();
        b.push(p.split_off(k));
        a.push(p);
    }
    let radial = |base: &[Vec<f64>], other: &[Vec<f64>], i: usize| -> Vec<Vec<f64>> {
        base.iter()
            .zip(other)
            .map(|(rb, ro)| {
                let mut r = rb.clone();
                r[i] = ro[i];
                r
            })
            .collect()
    };
    let ab = (0..k).map(|i| radial(&a, &b, i)).collect();
    let ba = match scheme {
        Scheme::Saltelli => None,
        Scheme::Azzini => Some((0..k).map(|i| radial(&b, &a, i)).collect()),
    };
    Ok(Design { a, b, ab, ba })
}

// ===========================================================================
// Estimators
// ===========================================================================

/// Estimator of a first- or total-order index. With `f0` the mean and `V`
/// the sample variance over the `2n` runs of `A` and `B`,
/// `V = 1/(2n-1) sum_j [(f(A)_j - f0)^2 + (f(B)_j - f0)^2]` (the *sample*
/// form, divisor `2n - 1`, as sensobol), and sums over `j = 1..n`:
///
/// | variant | first order `S_i` | total order `T_i` |
/// |---|---|---|
/// | `Saltelli2010` | `(1/n) sum f(B)_j (f(A_B^i)_j - f(A)_j) / V` | not available (`Err`; Saltelli et al. 2010 recommend Jansen's) |
/// | `Jansen1999` | `(V - 1/(2n) sum (f(B)_j - f(A_B^i)_j)^2) / V` | `1/(2n) sum (f(A)_j - f(A_B^i)_j)^2 / V` |
/// | `Azzini2020` | `2 sum (f(B)_j - f(B_A^i)_j)(f(A_B^i)_j - f(A)_j) / D_i` | `sum [(f(B)_j - f(B_A^i)_j)^2 + (f(A)_j - f(A_B^i)_j)^2] / D_i` |
///
/// with `D_i = sum [(f(A)_j - f(B)_j)^2 + (f(B_A^i)_j - f(A_B^i)_j)^2]`.
/// The Azzini pair (Azzini et al. 2020; sensobol's `first = "azzini"`,
/// `total = "azzini"`) needs the [`Scheme::Azzini`] design.
///
/// In the Azzini total order each squared difference pairs two runs that
/// share every column except `i` (`B` with `B_A^i`, `A` with `A_B^i`), so
/// its expectation is `2 E[Var(Y | X_~i)] = 2 V T_i`; `D_i` pairs runs that
/// share no column (expectation `2V` each). This is sensobol's
/// `(Y_B - Y_BA)^2 + (Y_A - Y_AB)^2` over `(Y_A - Y_B)^2 + (Y_BA - Y_AB)^2`.
/// (Pairing `f(B)` with `f(A_B^i)` instead would share only column `i` and
/// estimate `1 - S_i`, not `T_i`.)
///
/// For a vector output every sum above also runs over the `p` outputs
/// (numerator and denominator separately; Gamboa et al. 2014), with `V`
/// the sum of the per-output variances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimator {
    /// Saltelli et al. (2010), first order only.
    Saltelli2010,
    /// Jansen (1999), first and total order.
    Jansen1999,
    /// Azzini, Mara & Rosati (2020), first and total order.
    Azzini2020,
}

/// First- and total-order indices, one entry per parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    /// First-order indices `S_i`.
    pub first: Vec<f64>,
    /// Total-order indices `T_i`.
    pub total: Vec<f64>,
}

/// A point estimate with a bootstrap percentile interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Estimate from the full sample.
    pub estimate: f64,
    /// Lower bound, quantile `(1 - level) / 2` of the bootstrap replicates.
    pub lower: f64,
    /// Upper bound, quantile `(1 + level) / 2` of the bootstrap replicates.
    pub upper: f64,
}

/// First- and total-order indices with bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct WithIntervals {
    /// One interval per parameter, first order.
    pub first: Vec<Interval>,
    /// One interval per parameter, total order.
    pub total: Vec<Interval>,
}

/// Shape of a validated output array.
#[derive(Debug, Clone, Copy)]
struct Layout {
    n: usize,
    k: usize,
    p: usize,
    has_ba: bool,
}

/// Checks `y` against the design size: `n (k + 2)` rows (Saltelli scheme)
/// or `n (2k + 2)` rows (Azzini scheme), all of the same non-zero length
/// `p`, all finite.
fn validate(n: usize, k: usize, y: &[Vec<f64>]) -> Result<Layout, String> {
    if n == 0 {
        return Err("design_n must be at least 1".to_string());
    }
    if k == 0 {
        return Err("k must be at least 1".to_string());
    }
    let rows = |blocks: Option<usize>| blocks.and_then(|b| b.checked_mul(n));
    let saltelli = rows(k.checked_add(2));
    let azzini = rows(k.checked_mul(2).and_then(|x| x.checked_add(2)));
    let has_ba = if Some(y.len()) == saltelli {
        false
    } else if Some(y.len()) == azzini {
        true
    } else {
        return Err(format!(
            "y has {} rows; expected n(k+2) = {} (Saltelli scheme) or \
             n(2k+2) = {} (Azzini scheme) for n = {n}, k = {k}",
            y.len(),
            saltelli.map_or("overflow".to_string(), |r| r.to_string()),
            azzini.map_or("overflow".to_string(), |r| r.to_string()),
        ));
    };
    let p = y.first().map_or(0, Vec::len);
    if p == 0 {
        return Err("each model run must return at least one output".to_string());
    }
    for (r, row) in y.iter().enumerate() {
        if row.len() != p {
            return Err(format!(
                "ragged y: row {r} has {} outputs, row 0 has {p}",
                row.len()
            ));
        }
        if let Some(q) = row.iter().position(|v| !v.is_finite()) {
            return Err(format!("y[{r}][{q}] is not finite"));
        }
    }
    Ok(Layout { n, k, p, has_ba })
}

/// Checks that the estimator pair is available for this design.
fn check_estimators(lay: &Layout, first: Estimator, total: Estimator) -> Result<(), String> {
    if total == Estimator::Saltelli2010 {
        return Err("Saltelli2010 is a first-order estimator; use Jansen1999 \
                    (the total-order estimator Saltelli et al. 2010 recommend) \
                    or Azzini2020 for the total order"
            .to_string());
    }
    if (first == Estimator::Azzini2020 || total == Estimator::Azzini2020) && !lay.has_ba {
        return Err(
            "Azzini2020 needs the B_A^(i) runs of Scheme::Azzini; y has \
                    only n(k+2) rows"
                .to_string(),
        );
    }
    Ok(())
}

/// Level check shared by the bootstrap functions.
fn check_boot(reps: usize, level: f64) -> Result<(), String> {
    if reps == 0 {
        return Err("reps must be at least 1".to_string());
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(format!("level must be in (0, 1), got {level}"));
    }
    Ok(())
}

/// Indices from the base rows listed in `idx` (a bootstrap resample, or
/// `0..n`). `idx.len()` plays the role of `n`. Returns NaN/inf where a
/// denominator is zero.
fn estimate(
    y: &[Vec<f64>],
    lay: &Layout,
    idx: &[usize],
    first: Estimator,
    total: Estimator,
) -> (Vec<f64>, Vec<f64>) {
    let n = lay.n;
    let m = idx.len() as f64;
    let row = |block: usize, j: usize| &y[block * n + j];

    // Mean and sample variance (divisor 2m - 1) over the runs of A and B,
    // per output; the variances are summed over outputs (Gamboa et al.).
    let mut mean = vec![0.0; lay.p];
    for &j in idx {
        for ((mq, a), b) in mean.iter_mut().zip(row(0, j)).zip(row(1, j)) {
            *mq += a + b;
        }
    }
    mean.iter_mut().for_each(|mq| *mq /= 2.0 * m);
    let mut ss = 0.0;
    for &j in idx {
        for ((mq, a), b) in mean.iter().zip(row(0, j)).zip(row(1, j)) {
            ss += (a - mq).powi(2) + (b - mq).powi(2);
        }
    }
    let var = ss / (2.0 * m - 1.0);

    let mut s = Vec::with_capacity(lay.k);
    let mut t = Vec::with_capacity(lay.k);
    for i in 0..lay.k {
        // Sums over base rows j and outputs q.
        let mut saltelli = 0.0; // f(B) (f(A_B) - f(A))
        let mut jansen_first = 0.0; // (f(B) - f(A_B))^2
        let mut jansen_total = 0.0; // (f(A) - f(A_B))^2
        let mut az_first = 0.0; // (f(B) - f(B_A)) (f(A_B) - f(A))
        let mut az_total = 0.0; // (f(B) - f(B_A))^2 + (f(A) - f(A_B))^2
        let mut az_den = 0.0; // (f(A) - f(B))^2 + (f(B_A) - f(A_B))^2
        for &j in idx {
            let (ya, yb, yab) = (row(0, j), row(1, j), row(2 + i, j));
            for q in 0..lay.p {
                let (a, b, ab) = (ya[q], yb[q], yab[q]);
                saltelli += b * (ab - a);
                jansen_first += (b - ab).powi(2);
                jansen_total += (a - ab).powi(2);
            }
            if lay.has_ba {
                let yba = row(2 + lay.k + i, j);
                for q in 0..lay.p {
                    let (a, b, ab, ba) = (ya[q], yb[q], yab[q], yba[q]);
                    az_first += (b - ba) * (ab - a);
                    az_total += (b - ba).powi(2) + (a - ab).powi(2);
                    az_den += (a - b).powi(2) + (ba - ab).powi(2);
                }
            }
        }
        s.push(match first {
            Estimator::Saltelli2010 => saltelli / m / var,
            Estimator::Jansen1999 => (var - jansen_first / (2.0 * m)) / var,
            Estimator::Azzini2020 => 2.0 * az_first / az_den,
        });
        t.push(match total {
            // Rejected by check_estimators; kept total for exhaustiveness.
            Estimator::Saltelli2010 => f64::NAN,
            Estimator::Jansen1999 => jansen_total / (2.0 * m) / var,
            Estimator::Azzini2020 => az_total / az_den,
        });
    }
    (s, t)
}

/// First- and total-order Sobol' indices from model outputs `y`, given in
/// [`Design::rows`] order (`y[r]` = the `p` outputs of run `r`; `p = 1` for
/// a scalar model). The scheme is recognised from `y.len()`: `n (k + 2)`
/// rows for [`Scheme::Saltelli`], `n (2k + 2)` for [`Scheme::Azzini`]. See
/// [`Estimator`] for the formulas; vector outputs give the aggregated index
/// of Gamboa et al. (2014).
///
/// Errors on `n == 0`, `k == 0`, a wrong number of rows, ragged or empty
/// rows, non-finite outputs, an unavailable estimator (Saltelli2010 as total
/// order; Azzini2020 without the `B_A^(i)` runs), or a zero denominator
/// (e.g. a constant model output).
pub fn indices(
    design_n: usize,
    k: usize,
    y: &[Vec<f64>],
    first: Estimator,
    total: Estimator,
) -> Result<Indices, String> {
    let lay = validate(design_n, k, y)?;
    check_estimators(&lay, first, total)?;
    let idx: Vec<usize> = (0..lay.n).collect();
    let (first, total) = estimate(y, &lay, &idx, first, total);
    if first.iter().chain(&total).any(|v| !v.is_finite()) {
        return Err("indices undefined: a variance estimate is zero (constant \
                    model output?)"
            .to_string());
    }
    Ok(Indices { first, total })
}

/// Type-7 sample quantile (Hyndman & Fan 1996; R's default) of sorted data:
/// `x[lo] + (h - lo) (x[lo + 1] - x[lo])`, `h = (len - 1) prob`. NaN if
/// empty.
pub(crate) fn quantile7(sorted: &[f64], prob: f64) -> f64 {
    let Some(&last) = sorted.last() else {
        return f64::NAN;
    };
    let h = (sorted.len() - 1) as f64 * prob;
    let lo = h.floor() as usize;
    match (sorted.get(lo), sorted.get(lo + 1)) {
        // Equal neighbours (also equal infinities, where the formula gives NaN).
        (Some(&a), Some(&b)) if a == b => a,
        (Some(&a), Some(&b)) => a + (h - lo as f64) * (b - a),
        (Some(&a), None) => a,
        _ => last,
    }
}

/// Percentile interval from bootstrap replicates (non-finite replicates,
/// from resamples with a zero denominator, are dropped; NaN bounds if none
/// is left).
fn percentile(estimate: f64, mut reps: Vec<f64>, level: f64) -> Interval {
    reps.retain(|v| v.is_finite());
    reps.sort_by(f64::total_cmp);
    Interval {
        estimate,
        lower: quantile7(&reps, (1.0 - level) / 2.0),
        upper: quantile7(&reps, (1.0 + level) / 2.0),
    }
}

/// One step of SplitMix64 (Steele et al. 2014; Vigna's `splitmix64.c`).
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// xoshiro256** 1.0 (Blackman & Vigna 2021), the generator of the
/// bootstrap. `from_seed` fills the state with four SplitMix64 outputs, as
/// the authors recommend; SplitMix64 is a bijection of its state, so at most
/// one word is 0 and the state is never all zeros.
/// Also the generator of the rank confidence sets' draws (`critique::rank_ci`).
#[derive(Debug, Clone)]
pub(crate) struct Xoshiro256 {
    s: [u64; 4],
}

impl Xoshiro256 {
    pub(crate) fn from_seed(seed: u64) -> Self {
        let mut sm = seed;
        let mut s = [0u64; 4];
        s.iter_mut().for_each(|w| *w = splitmix64(&mut sm));
        Xoshiro256 { s }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform integer in `0..n` without modulo bias (Lemire 2019: multiply
    /// by `n`, keep the high word, reject the few low words below
    /// `2^64 mod n`). Returns 0 for `n == 0`.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }
}

/// Draws one bootstrap resample of the base-row indices `0..n` (`n` draws
/// with replacement). Draws are made on `u64`, so the stream does not
/// depend on the platform's `usize`.
fn resample(rng: &mut Xoshiro256, n: usize) -> Vec<usize> {
    (0..n).map(|_| rng.below(n as u64) as usize).collect()
}

/// Indices with bootstrap percentile intervals.
///
/// Each of the `reps` replicates resamples the `n` base rows `j` with
/// replacement, the same draw for `A`, `B`, every `A_B^(i)` and every
/// `B_A^(i)` (rows that belong together stay together, as in sensobol's
/// `boot::boot` on the `n x (k + 2)` output matrix), and recomputes the
/// indices. The interval is `[Q((1 - level)/2), Q((1 + level)/2)]` of the
/// replicates, type-7 quantiles; `estimate` is the full-sample value of
/// [`indices`]. The random stream is xoshiro256** seeded from `seed` by
/// SplitMix64 (see the module references), with unbiased bounded draws, so
/// the result is a deterministic function of the arguments on every
/// platform.
///
/// Errors as [`indices`], and on `reps == 0` or `level` outside `(0, 1)`.
/// With Sobol' (quasi-random) points the bootstrap measures Monte Carlo
/// variability and is typically conservative for the actual QMC error.
#[allow(clippy::too_many_arguments)] // signature fixed by the module's API
pub fn bootstrap(
    design_n: usize,
    k: usize,
    y: &[Vec<f64>],
    first: Estimator,
    total: Estimator,
    reps: usize,
    level: f64,
    seed: u64,
) -> Result<WithIntervals, String> {
    check_boot(reps, level)?;
    let point = indices(design_n, k, y, first, total)?;
    let lay = validate(design_n, k, y)?;
    let mut rng = Xoshiro256::from_seed(seed);
    let mut first_reps = vec![Vec::with_capacity(reps); lay.k];
    let mut total_reps = vec![Vec::with_capacity(reps); lay.k];
    for _ in 0..reps {
        let idx = resample(&mut rng, lay.n);
        let (s, t) = estimate(y, &lay, &idx, first, total);
        for (acc, v) in first_reps.iter_mut().zip(s) {
            acc.push(v);
        }
        for (acc, v) in total_reps.iter_mut().zip(t) {
            acc.push(v);
        }
    }
    let intervals = |est: &[f64], reps: Vec<Vec<f64>>| -> Vec<Interval> {
        est.iter()
            .zip(reps)
            .map(|(&e, r)| percentile(e, r, level))
            .collect()
    };
    Ok(WithIntervals {
        first: intervals(&point.first, first_reps),
        total: intervals(&point.total, total_reps),
    })
}

/// sensobol's dummy-parameter formulas (`sobol_dummy_boot`), from the runs
/// of `A` and `B` of the base rows in `idx`, aggregated over outputs.
/// Returns `(S_dummy, T_dummy)`, unclamped.
fn dummy_stat(y: &[Vec<f64>], lay: &Layout, idx: &[usize]) -> (f64, f64) {
    let n = lay.n;
    let m = idx.len() as f64;
    let (mut sum_ab, mut sum_sq, mut sum_bb) = (0.0, 0.0, 0.0);
    for &j in idx {
        for (a, b) in y[j].iter().zip(&y[n + j]) {
            sum_ab += a * b;
            sum_sq += a * a + b * b;
            sum_bb += b * b;
        }
    }
    let f0 = sum_ab / m;
    let v = sum_sq / (2.0 * m - 1.0) - f0;
    let s = (sum_ab / (m - 1.0) - f0) / v;
    let t = 1.0 - (sum_bb / (m - 1.0) - f0) / v;
    (s, t)
}

/// Both dummy intervals before sensobol's clamping of negative values.
fn dummy_raw(
    design_n: usize,
    k: usize,
    y: &[Vec<f64>],
    reps: usize,
    level: f64,
    seed: u64,
) -> Result<(Interval, Interval), String> {
    check_boot(reps, level)?;
    let lay = validate(design_n, k, y)?;
    if lay.n < 2 {
        return Err("dummy: design_n must be at least 2".to_string());
    }
    let idx: Vec<usize> = (0..lay.n).collect();
    // sensobol's V is not exactly zero for a constant output (it is
    // 1/(2n-1) times the squared constant), so test the variance of the
    // A and B runs directly: the dummy's indices are undefined without it.
    let (s, t) = dummy_stat(y, &lay, &idx);
    let (first, _) = estimate(y, &lay, &idx, Estimator::Jansen1999, Estimator::Jansen1999);
    if !(s.is_finite() && t.is_finite() && first.iter().all(|v| v.is_finite())) {
        return Err("dummy: variance estimate is zero (constant model output?)".to_string());
    }
    let mut rng = Xoshiro256::from_seed(seed);
    let (mut s_reps, mut t_reps) = (Vec::with_capacity(reps), Vec::with_capacity(reps));
    for _ in 0..reps {
        let idx = resample(&mut rng, lay.n);
        let (sr, tr) = dummy_stat(y, &lay, &idx);
        s_reps.push(sr);
        t_reps.push(tr);
    }
    Ok((percentile(s, s_reps, level), percentile(t, t_reps, level)))
}

/// First- and total-order indices of a *dummy* parameter, one that does not
/// enter the model (Khorashadi Zadeh et al. 2017), estimated from the same
/// runs, with bootstrap percentile intervals (resampling, quantiles and
/// seeding as in [`bootstrap`]). An input whose index is not clearly above
/// the dummy's is indistinguishable from noise at this sample size.
///
/// The formulas are those of sensobol's `sobol_dummy` (`sobol_dummy_boot`),
/// and use only the runs of `A` and `B` (sums over `j = 1..n` and, for a
/// vector output, over outputs too):
///
/// * `f0 = (1/n) sum f(A)_j f(B)_j`  (an estimate of `E[Y]^2`)
/// * `V = 1/(2n-1) sum [f(A)_j^2 + f(B)_j^2] - f0`
/// * `S_dummy = (1/(n-1) sum f(A)_j f(B)_j - f0) / V`
///   (this equals `f0 / ((n - 1) V)`: a small positive `O(1/n)` number
///   proportional to `E[Y]^2 / Var(Y)`, not a noisy zero)
/// * `T_dummy = 1 - (1/(n-1) sum f(B)_j^2 - f0) / V` (noise around 0).
///
/// As sensobol does, negative values of the estimate and of both bounds are
/// set to 0. Returns `(first, total)`.
///
/// Errors as [`indices`] (any number of rows valid for either scheme), and
/// on `n < 2`, `reps == 0` or `level` outside `(0, 1)`.
pub fn dummy(
    design_n: usize,
    k: usize,
    y: &[Vec<f64>],
    reps: usize,
    level: f64,
    seed: u64,
) -> Result<(Interval, Interval), String> {
    // `x < 0` is false for NaN, so NaN bounds stay NaN rather than becoming 0.
    let zero_floor = |x: f64| if x < 0.0 { 0.0 } else { x };
    let clamp = |i: Interval| Interval {
        estimate: zero_floor(i.estimate),
        lower: zero_floor(i.lower),
        upper: zero_floor(i.upper),
    };
    let (s, t) = dummy_raw(design_n, k, y, reps, level, seed)?;
    Ok((clamp(s), clamp(t)))
}

// ===========================================================================
// Tests
// ===========================================================================

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn eval(d: &Design, f: impl Fn(&[f64]) -> Vec<f64>) -> Vec<Vec<f64>> {
        d.rows().iter().map(|x| f(x)).collect()
    }

    /// y = x1 + 2 x2 + 3 x3, x ~ U(0,1): V_i = c_i^2 / 12, V = 14/12, so
    /// S_i = T_i = c_i^2 / 14.
    fn linear(x: &[f64]) -> Vec<f64> {
        vec![x[0] + 2.0 * x[1] + 3.0 * x[2]]
    }
    const LINEAR_TRUE: [f64; 3] = [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0];

    fn ishigami(u: &[f64]) -> Vec<f64> {
        let x: Vec<f64> = u.iter().map(|&u| -PI + 2.0 * PI * u).collect();
        vec![x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()]
    }

    /// Analytic Ishigami indices (a = 7, b = 0.1): V1 = (1 + b pi^4/5)^2 / 2,
    /// V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13.
    fn ishigami_truth() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0, 0.1);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    fn max_err(est: &[f64], truth: &[f64]) -> f64 {
        est.iter()
            .zip(truth)
            .map(|(e, t)| (e - t).abs())
            .fold(0.0, f64::max)
    }

    // ---- Sobol' sequence -------------------------------------------------

    #[test]
    fn sobol_first_points_match_published_and_hand_values() {
        // Dimension 1 (van der Corput) and 2 (d = 2: s = 1, a = 0, m = 1)
        // are the published values. Dimension 3 (d = 3: s = 2, a = 1,
        // m = (1, 3)) by hand from the Joe-Kuo recurrence, in binary:
        //   V1 = m1/2 = .1, V2 = m2/4 = .11,
        //   V3 = V1 ^ (V1 >> 2) ^ a1 V2 = .100 ^ .001 ^ .110 = .011,
        //   V4 = V2 ^ (V2 >> 2) ^ a1 V3 = .1100 ^ .0011 ^ .0110 = .1001.
        // Gray code: X1 = V1, X2 = X1^V2, X3 = X2^V1, X4 = X3^V3,
        //   X5 = X4^V1, X6 = X5^V2, X7 = X6^V1, X8 = X7^V4, giving
        //   .1, .01, .11, .101, .001, .111, .011, .1111
        //   = 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375, 0.9375.
        let expected = [
            [0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875],
            [0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625, 0.3125],
            [0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375, 0.9375],
        ];
        let mut seq = SobolSeq::new(3).unwrap();
        assert_eq!(seq.dims(), 3);
        for i in 0..8 {
            let p = seq.next_point();
            let want: Vec<f64> = expected.iter().map(|dim| dim[i]).collect();
            // Exact: dyadic rationals are exactly representable.
            assert_eq!(p, want, "point {}", i + 1);
        }
    }

    #[test]
    fn sobol_one_dimensional_projections_are_exact_grids() {
        // The first 2^m points including the zero point form a (t, m, s)-net,
        // so every 1-D projection is exactly {i / 2^m}. Checked for all
        // MAX_DIMS dimensions and m = 0..=12.
        let mmax = 12;
        let mut seq = SobolSeq::new(MAX_DIMS).unwrap();
        let mut pts = vec![vec![0.0; MAX_DIMS]];
        for _ in 1..(1usize << mmax) {
            pts.push(seq.next_point());
        }
        for m in 0..=mmax {
            let len = 1usize << m;
            let scale = len as f64;
            for d in 0..MAX_DIMS {
                let mut cells: Vec<u64> = pts[..len]
                    .iter()
                    .map(|p| {
                        assert!((0.0..1.0).contains(&p[d]));
                        let c = p[d] * scale;
                        assert_eq!(c.fract(), 0.0, "dim {} m {m}: not on grid", d + 1);
                        c as u64
                    })
                    .collect();
                cells.sort_unstable();
                let grid: Vec<u64> = (0..len as u64).collect();
                assert_eq!(cells, grid, "dim {} m {m}", d + 1);
            }
        }
    }

    #[test]
    fn joe_kuo_table_is_consistent() {
        // The table lists, in order, the primitive polynomials over GF(2)
        // of each degree s (Joe & Kuo 2008, Sec. 3): check that each (s, a)
        // is primitive (x has multiplicative order 2^s - 1 modulo
        // p(x) = x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1), that they are
        // strictly increasing (hence distinct), and that every complete
        // degree has all phi(2^s - 1)/s of them. Also m_k odd, m_k < 2^k.
        // (An m_k typo that keeps these properties is not caught here; the
        // m_k were cross-checked against two transcriptions of the file.)
        let mut count = [0usize; 11];
        let mut prev = (0u32, 0u32);
        for (row, &(d, s, a, m)) in JOE_KUO.iter().enumerate() {
            assert_eq!(d as usize, row + 2);
            assert!((1..=10).contains(&s) && (s == 1 || a < 1 << (s - 1)));
            assert!((s, a) > prev, "d = {d} out of order");
            prev = (s, a);
            assert_eq!(m.len(), s as usize, "d = {d}");
            for (k, &mk) in m.iter().enumerate() {
                assert!(mk % 2 == 1 && mk < 1 << (k + 1), "d = {d} m_{}", k + 1);
            }
            let poly = (1u32 << s) | (a << 1) | 1;
            let mut x = 1u32; // x^e mod poly, e = 0
            let mut order = 0u32;
            loop {
                x <<= 1;
                if x & (1 << s) != 0 {
                    x ^= poly;
                }
                order += 1;
                if x == 1 || order > 1 << s {
                    break;
                }
            }
            assert_eq!(order, (1 << s) - 1, "d = {d}: not primitive");
            count[s as usize] += 1;
        }
        let gcd = |mut a: u32, mut b: u32| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        for s in 1..=9u32 {
            let n = (1u32 << s) - 1;
            let phi = (1..=n).filter(|&i| gcd(i, n) == 1).count();
            assert_eq!(count[s as usize], phi / s as usize, "degree {s}");
        }
    }

    #[test]
    fn sobol_dims_outside_table_err() {
        assert!(SobolSeq::new(0).is_err());
        assert!(SobolSeq::new(MAX_DIMS).is_ok());
        assert!(SobolSeq::new(MAX_DIMS + 1).is_err());
        assert!(SobolSeq::new(usize::MAX).is_err());
    }

    // ---- Design ----------------------------------------------------------

    #[test]
    fn design_blocks_and_row_order() {
        let (n, k) = (16, 3);
        let d = sample_matrices(n, k, Scheme::Azzini).unwrap();
        assert_eq!((d.n(), d.k()), (n, k));
        let mut seq = SobolSeq::new(2 * k).unwrap();
        for j in 0..n {
            let p = seq.next_point();
            assert_eq!(d.a[j], p[..k]);
            assert_eq!(d.b[j], p[k..]);
        }
        let ba = d.ba.as_ref().unwrap();
        for (i, (ab_i, ba_i)) in d.ab.iter().zip(ba).enumerate() {
            for j in 0..n {
                for c in 0..k {
                    let (from_b, from_a) = if c == i { (&d.b, &d.a) } else { (&d.a, &d.b) };
                    assert_eq!(ab_i[j][c], from_b[j][c]);
                    assert_eq!(ba_i[j][c], from_a[j][c]);
                }
            }
        }
        let rows = d.rows();
        assert_eq!(rows.len(), n * (2 * k + 2));
        assert_eq!(rows[..n], d.a[..]);
        assert_eq!(rows[n..2 * n], d.b[..]);
        for i in 0..k {
            assert_eq!(rows[(2 + i) * n..(3 + i) * n], d.ab[i][..]);
            assert_eq!(rows[(2 + k + i) * n..(3 + k + i) * n], ba[i][..]);
        }
        let s = sample_matrices(n, k, Scheme::Saltelli).unwrap();
        assert!(s.ba.is_none());
        assert_eq!(s.rows().len(), n * (k + 2));
        assert_eq!(s.rows()[..], rows[..n * (k + 2)]);
    }

    // ---- Golden and Ishigami ---------------------------------------------

    #[test]
    fn golden_linear_function() {
        // n = 2^14 Sobol' points. With i.i.d. points the Monte Carlo
        // standard error of the Saltelli first-order index would be ~2e-2
        // here (the bootstrap in `bootstrap_covers_truth_and_narrows` shows a
        // 95% width of ~0.26 for S_2 at n = 2^10, i.e. sd ~0.017 at 2^14);
        // the QMC points do far better. Measured max errors (printed with
        // --nocapture): Saltelli/Jansen 3.1e-4 / 2.8e-4, Jansen/Jansen
        // 4.0e-4 / 2.8e-4, Azzini 2.8e-5 / 2.8e-5. So 1e-3 holds with a
        // margin of >= 2.5x while a wrong formula (e.g. a wrong pairing of
        // runs, or a missing factor 2) is off by > 1e-2.
        let n = 1 << 14;
        for (scheme, first, total) in [
            (
                Scheme::Saltelli,
                Estimator::Saltelli2010,
                Estimator::Jansen1999,
            ),
            (
                Scheme::Saltelli,
                Estimator::Jansen1999,
                Estimator::Jansen1999,
            ),
            (Scheme::Azzini, Estimator::Azzini2020, Estimator::Azzini2020),
        ] {
            let d = sample_matrices(n, 3, scheme).unwrap();
            let y = eval(&d, linear);
            let ind = indices(n, 3, &y, first, total).unwrap();
            let (ef, et) = (
                max_err(&ind.first, &LINEAR_TRUE),
                max_err(&ind.total, &LINEAR_TRUE),
            );
            println!(
                "golden {first:?}/{total:?}: S = {:?} T = {:?} max err {ef:.2e} {et:.2e}",
                ind.first, ind.total
            );
            assert!(ef < 1e-3 && et < 1e-3, "{first:?}/{total:?}: {ef} {et}");
        }
    }

    #[test]
    fn ishigami_function() {
        // n = 2^14. The analytic values (0.3139, 0.4424, 0; 0.5576, 0.4424,
        // 0.2437) are reproduced to 5e-5. Ishigami is far harder than the
        // linear case (x3^4 sin x1 interaction, heavy tails of the
        // estimator terms); the measured errors (printed) are ~1e-3, so 1e-2
        // is a margin of several times while a wrong pairing in a formula
        // (e.g. T_3 = 1 - S_3 = 1) is off by far more than that.
        let (s_true, t_true) = ishigami_truth();
        let published_s = [0.3139, 0.4424, 0.0];
        let published_t = [0.5576, 0.4424, 0.2437];
        assert!(max_err(&s_true, &published_s) < 5e-5);
        assert!(max_err(&t_true, &published_t) < 5e-5);
        let n = 1 << 14;
        for (scheme, first, total) in [
            (
                Scheme::Saltelli,
                Estimator::Saltelli2010,
                Estimator::Jansen1999,
            ),
            (Scheme::Azzini, Estimator::Azzini2020, Estimator::Azzini2020),
        ] {
            let d = sample_matrices(n, 3, scheme).unwrap();
            let y = eval(&d, ishigami);
            let ind = indices(n, 3, &y, first, total).unwrap();
            let (ef, et) = (max_err(&ind.first, &s_true), max_err(&ind.total, &t_true));
            println!(
                "ishigami {first:?}/{total:?}: S = {:?} T = {:?} max err {ef:.2e} {et:.2e}",
                ind.first, ind.total
            );
            assert!(ef < 1e-2 && et < 1e-2, "{first:?}/{total:?}: {ef} {et}");
        }
    }

    // ---- Vector output ---------------------------------------------------

    #[test]
    fn vector_output_hand_computation() {
        // n = 2, k = 1, p = 2, Saltelli scheme; rows A, A, B, B, AB, AB.
        // Output 1: f(A) = (1, 3), f(B) = (2, 4), f(A_B) = (2, 5):
        //   f0 = 10/4 = 2.5, V = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3,
        //   Saltelli V_1 = (2*1 + 4*2)/2 = 5, Jansen VT_1 = (1 + 4)/4 = 5/4,
        //   Jansen first: V - ((2-2)^2 + (4-5)^2)/4 = 5/3 - 1/4 = 17/12.
        // Output 2: f(A) = (0, 2), f(B) = (1, 1), f(A_B) = (1, 3):
        //   f0 = 1, V = (1 + 1 + 0 + 0)/3 = 2/3,
        //   V_1 = (1*1 + 1*1)/2 = 1, VT_1 = (1 + 1)/4 = 1/2,
        //   Jansen first: 2/3 - (0 + 4)/4 = -1/3.
        // Aggregated: S = (5 + 1)/(5/3 + 2/3) = 18/7, T = (5/4 + 1/2)/(7/3)
        // = 3/4, Jansen S = (17/12 - 1/3)/(7/3) = 13/28. (Averaging the
        // per-output ratios would give S = (3 + 3/2)/2 = 9/4 instead.)
        let y = vec![
            vec![1.0, 0.0],
            vec![3.0, 2.0],
            vec![2.0, 1.0],
            vec![4.0, 1.0],
            vec![2.0, 1.0],
            vec![5.0, 3.0],
        ];
        let ind = indices(2, 1, &y, Estimator::Saltelli2010, Estimator::Jansen1999).unwrap();
        assert!((ind.first[0] - 18.0 / 7.0).abs() < 1e-12, "{:?}", ind);
        assert!((ind.total[0] - 0.75).abs() < 1e-12, "{:?}", ind);
        let ind = indices(2, 1, &y, Estimator::Jansen1999, Estimator::Jansen1999).unwrap();
        assert!((ind.first[0] - 13.0 / 28.0).abs() < 1e-12, "{:?}", ind);

        // Azzini, n = 1, k = 1, p = 2; rows A, B, AB, BA.
        // Output 1: (a, b, ab, ba) = (1, 2, 4, 0): first numerator
        //   (b - ba)(ab - a) = 2*3 = 6, total numerator (b-ba)^2 + (a-ab)^2
        //   = 4 + 9 = 13, D = (a-b)^2 + (ba-ab)^2 = 1 + 16 = 17.
        // Output 2: (0, 1, 1, 2): first -1*1 = -1, total 1 + 1 = 2,
        //   D = 1 + 1 = 2.
        // Aggregated: S = 2 (6 - 1)/(17 + 2) = 10/19, T = 15/19.
        let y = vec![
            vec![1.0, 0.0],
            vec![2.0, 1.0],
            vec![4.0, 1.0],
            vec![0.0, 2.0],
        ];
        let ind = indices(1, 1, &y, Estimator::Azzini2020, Estimator::Azzini2020).unwrap();
        assert!((ind.first[0] - 10.0 / 19.0).abs() < 1e-12, "{:?}", ind);
        assert!((ind.total[0] - 15.0 / 19.0).abs() < 1e-12, "{:?}", ind);
    }

    #[test]
    fn vector_output_of_two_functions() {
        // f1 = x1 + 2 x2 + 3 x3 (V = 14/12), f2 = 4 x3 (V = 16/12).
        // Aggregated: S_i = T_i = (V_i(f1) + V_i(f2)) / (V(f1) + V(f2))
        // = (1, 4, 9 + 16)/30. n = 2^14 and tolerance 1e-3 as in the golden
        // test (measured max error printed with --nocapture; at n = 2^12 it
        // was 9.6e-4, too close to the bound).
        // Also checks the identity S_agg = sum_q V_q S_q / sum_q V_q against
        // separate scalar runs (same points) to 1e-12.
        let n = 1 << 14;
        let truth = [1.0 / 30.0, 4.0 / 30.0, 25.0 / 30.0];
        let d = sample_matrices(n, 3, Scheme::Saltelli).unwrap();
        let f2 = |x: &[f64]| vec![4.0 * x[2]];
        let y = eval(&d, |x| vec![linear(x)[0], f2(x)[0]]);
        let ind = indices(n, 3, &y, Estimator::Saltelli2010, Estimator::Jansen1999).unwrap();
        println!(
            "vector: S = {:?} T = {:?} max err {:.2e} {:.2e}",
            ind.first,
            ind.total,
            max_err(&ind.first, &truth),
            max_err(&ind.total, &truth)
        );
        assert!(max_err(&ind.first, &truth) < 1e-3);
        assert!(max_err(&ind.total, &truth) < 1e-3);

        let sample_var = |y: &[Vec<f64>]| {
            let ab: Vec<f64> = y[..2 * n].iter().map(|r| r[0]).collect();
            let m = ab.iter().sum::<f64>() / ab.len() as f64;
            ab.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (ab.len() - 1) as f64
        };
        let y1 = eval(&d, linear);
        let y2 = eval(&d, f2);
        let (v1, v2) = (sample_var(&y1), sample_var(&y2));
        let i1 = indices(n, 3, &y1, Estimator::Saltelli2010, Estimator::Jansen1999).unwrap();
        let i2 = indices(n, 3, &y2, Estimator::Saltelli2010, Estimator::Jansen1999).unwrap();
        for i in 0..3 {
            let s = (v1 * i1.first[i] + v2 * i2.first[i]) / (v1 + v2);
            let t = (v1 * i1.total[i] + v2 * i2.total[i]) / (v1 + v2);
            assert!((ind.first[i] - s).abs() < 1e-12);
            assert!((ind.total[i] - t).abs() < 1e-12);
        }
    }

    // ---- Bootstrap -------------------------------------------------------

    fn golden_boot(
        n: usize,
        scheme: Scheme,
        f: Estimator,
        t: Estimator,
        seed: u64,
    ) -> WithIntervals {
        let d = sample_matrices(n, 3, scheme).unwrap();
        let y = eval(&d, linear);
        bootstrap(n, 3, &y, f, t, 1000, 0.95, seed).unwrap()
    }

    #[test]
    fn bootstrap_covers_truth_and_narrows() {
        // 95% percentile intervals, 1000 replicates, n = 2^10. With QMC
        // points the true error is much smaller than the MC spread the
        // bootstrap measures, so all six intervals should cover (a failing
        // estimator or resampling that breaks the row pairing would not).
        // Quadrupling n should halve the MC width; we require < 0.7x.
        for (scheme, f, t) in [
            (
                Scheme::Saltelli,
                Estimator::Saltelli2010,
                Estimator::Jansen1999,
            ),
            (Scheme::Azzini, Estimator::Azzini2020, Estimator::Azzini2020),
        ] {
            let small = golden_boot(1 << 10, scheme, f, t, 7);
            let large = golden_boot(1 << 12, scheme, f, t, 7);
            for (i, &truth) in LINEAR_TRUE.iter().enumerate() {
                for (what, s, l) in [
                    ("first", small.first[i], large.first[i]),
                    ("total", small.total[i], large.total[i]),
                ] {
                    println!(
                        "boot {f:?}/{t:?} {what} {i}: n=2^10 {:.4} [{:.4}, {:.4}] width {:.4}; \
                         n=2^12 width {:.4}; ratio {:.3}",
                        s.estimate,
                        s.lower,
                        s.upper,
                        s.upper - s.lower,
                        l.upper - l.lower,
                        (l.upper - l.lower) / (s.upper - s.lower)
                    );
                    assert!(s.lower <= truth && truth <= s.upper, "{what} {i}: {s:?}");
                    assert!(s.lower <= s.estimate && s.estimate <= s.upper, "{s:?}");
                    assert!((l.upper - l.lower) < 0.7 * (s.upper - s.lower));
                }
            }
        }
    }

    #[test]
    fn bootstrap_is_deterministic_given_seed() {
        let n = 1 << 8;
        let a = golden_boot(
            n,
            Scheme::Azzini,
            Estimator::Azzini2020,
            Estimator::Azzini2020,
            42,
        );
        let b = golden_boot(
            n,
            Scheme::Azzini,
            Estimator::Azzini2020,
            Estimator::Azzini2020,
            42,
        );
        let c = golden_boot(
            n,
            Scheme::Azzini,
            Estimator::Azzini2020,
            Estimator::Azzini2020,
            43,
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Same point estimate whatever the seed.
        for i in 0..3 {
            assert_eq!(a.first[i].estimate, c.first[i].estimate);
        }
    }

    #[test]
    fn generator_matches_published_vectors() {
        // SplitMix64 from state 0 and xoshiro256** from state (1, 2, 3, 4):
        // the published reference outputs (Vigna's C implementations).
        let mut sm = 0u64;
        let got: Vec<u64> = (0..4).map(|_| splitmix64(&mut sm)).collect();
        assert_eq!(
            got,
            [
                0xe220_a839_7b1d_cdaf,
                0x6e78_9e6a_a1b9_65f4,
                0x06c4_5d18_8009_454f,
                0xf88b_b8a8_724c_81ec
            ]
        );
        let mut x = Xoshiro256 { s: [1, 2, 3, 4] };
        let got: Vec<u64> = (0..10).map(|_| x.next_u64()).collect();
        assert_eq!(
            got,
            [
                11520,
                0,
                1509978240,
                1215971899390074240,
                1216172134540287360,
                607988272756665600,
                16172922978634559625,
                8476171486693032832,
                10595114339597558777,
                2904607092377533576
            ]
        );
        // Bounded draws: in range, and each of 3 values about 1/3 of
        // 30000 draws (binomial sd = sqrt(30000 * 2/9) = 82; allow 5 sd).
        let mut rng = Xoshiro256::from_seed(5);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[rng.below(3) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| c.abs_diff(10_000) < 410),
            "{counts:?}"
        );
        assert_eq!(rng.below(1), 0);
        assert_eq!(rng.below(0), 0);
        assert!((0..1000).all(|_| rng.below(u64::MAX) < u64::MAX));
    }

    #[test]
    fn quantile_type7_matches_r() {
        // R: quantile(c(1, 2, 3, 4, 10), c(0.025, 0.5, 0.9), type = 7)
        //   = 1.1, 3.0, 7.6
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile7(&x, 0.025) - 1.1).abs() < 1e-12);
        assert!((quantile7(&x, 0.5) - 3.0).abs() < 1e-12);
        assert!((quantile7(&x, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile7(&x, 1.0), 10.0);
        assert_eq!(quantile7(&x, 0.0), 1.0);
        assert!(quantile7(&[], 0.5).is_nan());
    }

    // ---- Dummy -----------------------------------------------------------

    #[test]
    fn dummy_parameter_noise_floor() {
        // sensobol's dummy: S_dummy = f0 / ((n - 1) V) exactly (a positive
        // O(1/n) term), T_dummy is noise around 0. For the golden function,
        // E[Y] = 3, Var = 7/6, so S_dummy ~ 9 / (1023 * 7/6) = 0.0075 at
        // n = 2^10; its interval must lie in [0, 0.02] (well below the
        // smallest real index, 1/14 = 0.071). T_dummy's raw interval must
        // contain 0.
        let n = 1 << 10;
        for scheme in [Scheme::Saltelli, Scheme::Azzini] {
            let d = sample_matrices(n, 3, scheme).unwrap();
            let y = eval(&d, linear);
            let (s, t) = dummy_raw(n, 3, &y, 1000, 0.95, 1).unwrap();
            println!("dummy raw {scheme:?}: S {s:?}  T {t:?}");
            // Closed form of the first-order point estimate.
            let f0: f64 = (0..n).map(|j| y[j][0] * y[n + j][0]).sum::<f64>() / n as f64;
            let sq: f64 = (0..2 * n).map(|r| y[r][0] * y[r][0]).sum();
            let v = sq / (2 * n - 1) as f64 - f0;
            assert!((s.estimate - f0 / ((n - 1) as f64 * v)).abs() < 1e-12);
            assert!(s.lower > 0.0 && s.upper < 0.02, "{s:?}");
            assert!(t.lower < 0.0 && 0.0 < t.upper, "{t:?}");

            let (sc, tc) = dummy(n, 3, &y, 1000, 0.95, 1).unwrap();
            println!("dummy clamped {scheme:?}: S {sc:?}  T {tc:?}");
            assert_eq!(sc, s); // already non-negative
            assert_eq!(tc.lower, 0.0);
            assert_eq!(tc.upper, t.upper);
            assert!(tc.estimate >= 0.0);
            // With the Azzini estimators (the narrower intervals here) the
            // real parameters stand clear of the dummy's first-order floor.
            if scheme == Scheme::Azzini {
                let az = Estimator::Azzini2020;
                let ind = bootstrap(n, 3, &y, az, az, 1000, 0.95, 1).unwrap();
                for i in 0..3 {
                    assert!(ind.first[i].lower > s.upper, "{:?} vs {s:?}", ind.first[i]);
                }
            }
        }
    }

    // ---- Bad arguments ---------------------------------------------------

    #[test]
    fn bad_arguments_err_never_panic() {
        use Estimator::*;
        assert!(sample_matrices(0, 3, Scheme::Saltelli).is_err());
        assert!(sample_matrices(8, 0, Scheme::Saltelli).is_err());
        assert!(sample_matrices(8, MAX_DIMS / 2 + 1, Scheme::Azzini).is_err());
        assert!(sample_matrices(8, usize::MAX, Scheme::Azzini).is_err());
        assert!(sample_matrices(8, MAX_DIMS / 2, Scheme::Azzini).is_ok());

        let n = 4;
        let d = sample_matrices(n, 2, Scheme::Saltelli).unwrap();
        let y = eval(&d, |x| vec![x[0] + x[1] * x[1]]);
        let da = sample_matrices(n, 2, Scheme::Azzini).unwrap();
        let ya = eval(&da, |x| vec![x[0] + x[1] * x[1]]);
        assert!(indices(n, 2, &y, Saltelli2010, Jansen1999).is_ok());
        assert!(indices(n, 2, &ya, Azzini2020, Azzini2020).is_ok());
        assert!(indices(n, 2, &ya, Saltelli2010, Jansen1999).is_ok());
        // n = 0, k = 0.
        assert!(indices(0, 2, &y, Saltelli2010, Jansen1999).is_err());
        assert!(indices(n, 0, &y, Saltelli2010, Jansen1999).is_err());
        assert!(indices(n, usize::MAX, &y, Saltelli2010, Jansen1999).is_err());
        assert!(indices(usize::MAX, 2, &y, Saltelli2010, Jansen1999).is_err());
        // Wrong length.
        assert!(indices(n, 2, &y[1..], Saltelli2010, Jansen1999).is_err());
        assert!(indices(n + 1, 2, &y, Saltelli2010, Jansen1999).is_err());
        assert!(indices(n, 2, &[], Saltelli2010, Jansen1999).is_err());
        // Ragged, empty outputs, non-finite.
        let mut ragged = y.clone();
        ragged[5].push(1.0);
        assert!(indices(n, 2, &ragged, Saltelli2010, Jansen1999).is_err());
        let empty = vec![Vec::new(); y.len()];
        assert!(indices(n, 2, &empty, Saltelli2010, Jansen1999).is_err());
        let mut nan = y.clone();
        nan[3][0] = f64::NAN;
        assert!(indices(n, 2, &nan, Saltelli2010, Jansen1999).is_err());
        // Unavailable estimators.
        assert!(indices(n, 2, &y, Saltelli2010, Saltelli2010).is_err());
        assert!(indices(n, 2, &y, Azzini2020, Jansen1999).is_err());
        assert!(indices(n, 2, &y, Saltelli2010, Azzini2020).is_err());
        // Constant output: zero variance.
        let constant = vec![vec![1.0]; y.len()];
        assert!(indices(n, 2, &constant, Saltelli2010, Jansen1999).is_err());
        assert!(bootstrap(n, 2, &constant, Saltelli2010, Jansen1999, 10, 0.9, 0).is_err());
        assert!(dummy(n, 2, &constant, 10, 0.9, 0).is_err());
        // Bootstrap and dummy arguments.
        assert!(bootstrap(n, 2, &y, Saltelli2010, Jansen1999, 0, 0.9, 0).is_err());
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            assert!(bootstrap(n, 2, &y, Saltelli2010, Jansen1999, 10, level, 0).is_err());
            assert!(dummy(n, 2, &y, 10, level, 0).is_err());
        }
        assert!(bootstrap(n, 2, &ragged, Saltelli2010, Jansen1999, 10, 0.9, 0).is_err());
        assert!(dummy(n, 2, &ragged, 10, 0.9, 0).is_err());
        assert!(dummy(n, 2, &y, 0, 0.9, 0).is_err());
        assert!(dummy(0, 2, &y, 10, 0.9, 0).is_err());
        let d1 = sample_matrices(1, 2, Scheme::Saltelli).unwrap();
        let y1 = eval(&d1, |x| vec![x[0] + x[1]]);
        assert!(dummy(1, 2, &y1, 10, 0.9, 0).is_err());
        // Tiny designs with degenerate resamples still give an answer.
        let d2 = sample_matrices(2, 2, Scheme::Saltelli).unwrap();
        let y2 = eval(&d2, |x| vec![x[0] + x[1]]);
        assert!(bootstrap(2, 2, &y2, Saltelli2010, Jansen1999, 50, 0.9, 0).is_ok());
        assert!(dummy(2, 2, &y2, 50, 0.9, 0).is_ok());
    }
}
