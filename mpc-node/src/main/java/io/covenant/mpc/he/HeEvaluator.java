package io.covenant.mpc.he;

import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.he.HeHandle.GaloisKeys;
import io.covenant.mpc.he.HeHandle.PublicKey;
import io.covenant.mpc.he.HeHandle.RelinKeys;
import io.covenant.mpc.he.HeHandle.SecretKey;

/**
 * Homomorphic encryption as Microsoft SEAL offers it (SEAL 4.x: {@code SEALContext}, {@code KeyGenerator},
 * {@code Encryptor}, {@code Decryptor}, {@code Evaluator}, {@code CKKSEncoder}/{@code BatchEncoder}), one method per
 * SEAL call, over opaque {@link HeHandle}s, with objects crossing organisations only as SEAL's own serialisation
 * ({@link SealBytes}). {@link SealSidecar} implements it over a Node.js process running SEAL compiled to WebAssembly; a
 * JNI binding to native SEAL implements the same methods where SEAL is installed, and the protocols
 * ({@link PrivateScoring}, {@link EncryptedAggregation}) do not change.
 *
 * <p>Every method returns a new object and leaves its arguments as they were (except {@link #setScale}). Objects live
 * until {@link #release} or the evaluator closes. Methods throw {@link HeRefusedException} for input SEAL refuses and
 * {@link HeSidecarException} when the evaluator itself failed; a failed call leaves no new object behind.
 */
public interface HeEvaluator extends AutoCloseable {

  /** What runs underneath, e.g. "Microsoft SEAL 4.1.2 (node-seal 6.0.3, WebAssembly) on Node.js v20". */
  String implementation();

  /** Loads freshly chosen parameters (checked for 128-bit security first). */
  HeContext context(HeParameters parameters);

  /**
   * Loads parameters a peer sent, in SEAL's serialisation: reads N and the modulus out of the bytes, refuses them
   * unless they are 128-bit secure ({@link InsecureParametersException}), then builds the context. {@code scaleBits} is
   * the CKKS scale the protocol encodes at (SEAL keeps it per ciphertext, not in the parameters); 0 for BFV.
   */
  HeContext context(SealBytes parameters, int scaleBits);

  KeyPair generateKeys(HeContext context);

  RelinKeys relinKeys(SecretKey secretKey);

  /** Galois keys for rotations by the given slot steps (positive: to the left). */
  GaloisKeys galoisKeys(SecretKey secretKey, int[] steps);

  /** SEAL's serialisation of a shareable object. There is no way to save a secret key. */
  SealBytes save(HeHandle.Shareable object);

  PublicKey loadPublicKey(HeContext context, SealBytes bytes);

  RelinKeys loadRelinKeys(HeContext context, SealBytes bytes);

  GaloisKeys loadGaloisKeys(HeContext context, SealBytes bytes);

  Ciphertext loadCiphertext(HeContext context, SealBytes bytes);

  /** CKKS: encodes up to N/2 reals at the parameters' scale (unused slots hold 0) and encrypts them. */
  Ciphertext encryptReals(PublicKey publicKey, double[] values);

  /** CKKS: the same at an explicit scale (to match a ciphertext that was multiplied and rescaled). */
  Ciphertext encryptReals(PublicKey publicKey, double[] values, double scale);

  /** BFV: encodes up to N integers modulo t (signed: |v| < t/2) and encrypts them. */
  Ciphertext encryptIntegers(PublicKey publicKey, long[] values);

  /** CKKS: decrypts and decodes all N/2 slots. */
  double[] decryptReals(SecretKey secretKey, Ciphertext ciphertext);

  /** BFV: decrypts and decodes all N slots as signed integers modulo t. */
  long[] decryptIntegers(SecretKey secretKey, Ciphertext ciphertext);

  Ciphertext add(Ciphertext a, Ciphertext b);

  Ciphertext subtract(Ciphertext a, Ciphertext b);

  /** Ciphertext-ciphertext product (3 polynomials; relinearise next). */
  Ciphertext multiply(Ciphertext a, Ciphertext b);

  Ciphertext relinearize(Ciphertext ciphertext, RelinKeys relinKeys);

  /** CKKS: divides by the last data prime, dropping one level. */
  Ciphertext rescale(Ciphertext ciphertext);

  /** CKKS: multiplies slot-wise by reals encoded at {@code scale}, at the ciphertext's level. */
  Ciphertext multiplyPlain(Ciphertext ciphertext, double[] values, double scale);

  /** BFV: multiplies slot-wise by integers. */
  Ciphertext multiplyPlain(Ciphertext ciphertext, long[] values);

  /** CKKS: adds reals encoded at the ciphertext's own scale and level. */
  Ciphertext addPlain(Ciphertext ciphertext, double[] values);

  /** BFV: adds integers slot-wise. */
  Ciphertext addPlain(Ciphertext ciphertext, long[] values);

  /** Rotates the slots left by {@code steps} (CKKS: the whole vector; BFV: within each of the two rows). */
  Ciphertext rotate(Ciphertext ciphertext, int steps, GaloisKeys galoisKeys);

  /** Every slot becomes the sum of all slots (rotations and additions with the Galois keys). */
  Ciphertext sumSlots(Ciphertext ciphertext, GaloisKeys galoisKeys);

  /** Brings a ciphertext down to the level of {@code reference} without changing its value. */
  Ciphertext modSwitchTo(Ciphertext ciphertext, Ciphertext reference);

  /**
   * CKKS: declares the ciphertext's scale to be {@code scale}, changing its value by the ratio; used to line up scales
   * that differ only because the primes are not exactly 2^scaleBits (a relative change below 2^-20 for SEAL's primes).
   */
  void setScale(Ciphertext ciphertext, double scale);

  CiphertextInfo info(Ciphertext ciphertext);

  /** Frees objects; releasing a released object does nothing. */
  void release(HeHandle... objects);

  /**
   * Says a job is done with a context (after releasing the objects made under it). An evaluator may free it or keep it
   * for later jobs with the same parameters ({@link SealSidecar} keeps it); releasing it twice does nothing.
   */
  void release(HeContext context);

  @Override
  void close();
}
