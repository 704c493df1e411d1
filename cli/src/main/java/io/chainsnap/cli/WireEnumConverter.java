package io.chainsnap.cli;

import io.chainsnap.domain.WireEnum;
import picocli.CommandLine;

/**
 * Converts an option value to a domain enum by its wire name ({@code full}, {@code
 * pause-checkpoint}); an unknown value is a usage error listing the known ones.
 *
 * @param <E> the enum
 */
public final class WireEnumConverter<E extends Enum<E> & WireEnum>
    implements CommandLine.ITypeConverter<E> {

  private final Class<E> type;

  private WireEnumConverter(Class<E> type) {
    this.type = type;
  }

  /** The converter of {@code type}. */
  public static <E extends Enum<E> & WireEnum> WireEnumConverter<E> of(Class<E> type) {
    return new WireEnumConverter<>(type);
  }

  /** Registers the converter of {@code type} on {@code cl} and its sub-commands. */
  static <E extends Enum<E> & WireEnum> void register(CommandLine cl, Class<E> type) {
    cl.registerConverter(type, of(type));
  }

  @Override
  public E convert(String value) {
    try {
      return WireEnum.parse(type, value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
